from django.urls import path

from . import views

app_name = "delivery"
urlpatterns = [
    path("account/channels/", views.channels, name="channels"),
    path("deliveries/failed/", views.failures, name="failures"),
    path("deliveries/failed/<id:pk>/retry/", views.delivery_retry, name="delivery_retry"),
    path(
        "deliveries/failed/groups/<id:pk>/retry/",
        views.group_message_retry,
        name="group_message_retry",
    ),
    path("organizations/<code:code>/robots/", views.robots, name="robots"),
    path("robots/<id:pk>/remove/", views.robot_remove, name="robot_remove"),
    path("robots/<id:pk>/test/", views.robot_test, name="robot_test"),
]
