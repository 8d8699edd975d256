"""Forms whose choices the page gives, not the form: who the actor may pick from is a
question for the app's selectors, the form only lists them."""

from django import forms


class GivenMembersForm(forms.Form):
    """A form whose ``members`` field offers the people the view gives (``members=``, a
    queryset in the order to show), each by their name."""

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = members
        self.fields["members"].label_from_instance = lambda m: m.name
