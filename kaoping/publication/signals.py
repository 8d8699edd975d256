"""What other apps may act on (信号): sent after the transaction that did it commits.

``branch_year_finalised`` (``actor``, ``branch``, ``year``): a branch finalised a year;
the documents app builds the year's archive. A signal keeps publication below the apps
that react to it."""

from django.dispatch import Signal

branch_year_finalised = Signal()
