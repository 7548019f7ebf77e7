from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class LanguageMiddleware(LocaleMiddleware):
    """Simplified Chinese unless the user picked another language with the switcher.

    Django's LocaleMiddleware follows the browser's Accept-Language, so a
    county computer set up in English would show an English UI nobody asked
    for. Here only the language cookie (set by the switcher) changes it.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = dict(settings.LANGUAGES)
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
