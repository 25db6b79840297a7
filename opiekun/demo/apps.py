from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "opiekun.demo"
    label = "demo"
