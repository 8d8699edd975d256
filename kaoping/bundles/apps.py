from django.apps import AppConfig


class BundlesConfig(AppConfig):
    name = "kaoping.bundles"
    label = "bundles"
