"""Chinese first: the browser's Accept-Language does not switch the language; only the
user's explicit choice (the language cookie set by the switch in the header) does."""


class ChineseFirstMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
