from django.apps import AppConfig


class OnboardingConfig(AppConfig):
    name = "kaoping.onboarding"
    label = "onboarding"
