from django.urls import path

from carewatch.platform.notify import views

app_name = "notify"
urlpatterns = [
    path("", views.inbox_page, name="inbox"),
    path("unread/", views.unread, name="unread"),
    path("read-all/", views.mark_all_read, name="mark_all_read"),
    path("<int:pk>/open/", views.open_message, name="open"),
    path("<int:pk>/read/", views.mark_read, name="mark_read"),
    path("channels/", views.channel_list, name="channels"),
    path("channels/add/push/", views.add_push, name="add_push"),
    path("channels/push-key/", views.push_key, name="push_key"),
    path("confirm/<str:token>/", views.confirm_channel, name="confirm"),
    path("channels/add/<slug:kind>/", views.add_channel, name="add_channel"),
    path("channels/<int:pk>/", views.channel_detail, name="channel"),
    path("channels/<int:pk>/test/", views.test_channel, name="test_channel"),
    path("channels/<int:pk>/enable/", views.enable_channel, name="enable_channel"),
    path("channels/<int:pk>/disable/", views.disable_channel, name="disable_channel"),
    path("channels/<int:pk>/delete/", views.delete_channel, name="delete_channel"),
]
