"""URLs of the replies app: the inbox page and the replies API (under /api/)."""

from django.urls import path

from replies import api
from replies.views import inbox_page

urlpatterns = [
    path("inbox/", inbox_page, name="inbox"),
    path("api/replies/", api.reply_list, name="reply-list"),
    path("api/replies/counts", api.reply_counts, name="reply-counts"),
    path("api/replies/<int:pk>/", api.reply_detail, name="reply-detail"),
    path("api/replies/<int:pk>/relabel", api.reply_relabel, name="reply-relabel"),
    path("api/replies/<int:pk>/reply", api.reply_send, name="reply-send"),
]
