"""A long-lived app server previews and confirms imports all day: nothing of an import (its
resource, with the stored rows it loaded) may outlive the request."""

import gc

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from csvimport.models import ImportBatch
from csvimport.pipeline import PortalResource
from tests.factories import DepartmentFactory

pytestmark = pytest.mark.django_db

HEADER = "コード,担当部門,課・室名,電話番号,メールアドレス\r\n"


def live_resources():
    gc.collect()
    # type(), not isinstance(): isinstance() would evaluate lazy objects (the CSP nonce).
    return [obj for obj in gc.get_objects() if issubclass(type(obj), PortalResource)]


def test_twenty_previews_and_confirms_leave_no_resource_behind(client, superuser):
    DepartmentFactory(name="経営支援部")
    client.force_login(superuser)
    assert live_resources() == []
    for i in range(20):
        data = f"{HEADER}sec-{i},経営支援部,テスト課{i},03-0000-{i:04d},\r\n".encode("cp932")
        upload = SimpleUploadedFile(f"sections-{i}.csv", data)
        response = client.post(
            "/admin/contacts/section/import/", {"file": upload, "encoding": "auto"}
        )
        assert response.status_code == 302
        confirm = client.post(response["Location"])
        assert confirm.status_code == 302
    assert ImportBatch.objects.filter(status=ImportBatch.Status.APPLIED).count() == 20
    assert live_resources() == []
