"""The navbar's Directory menu, held per language, council and permissions like the apps' menus
(core.templatetags.portal.app_nav): each user sees the entries of their own permissions."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_each_user_sees_the_directory_menu_of_their_permissions(admin_client, staff_client, responder_client):
    councils, roles = reverse("core:council_list"), reverse("core:role_list")
    for _ in range(2):  # the second time from the copy held
        admin = admin_client.get("/").content.decode()
        staff = staff_client.get("/").content.decode()
        responder = responder_client.get("/").content.decode()
        assert f'href="{councils}"' in admin and f'href="{roles}"' in admin
        assert f'href="{councils}"' in staff and f'href="{roles}"' not in staff
        assert f'href="{councils}"' not in responder and "Danh mục" not in responder
        assert "Danh mục" in staff  # "Directory", in Vietnamese
