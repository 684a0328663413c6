"""Where uploads are kept (issue 16 item 5): on disk under var/ by default, in an
S3-compatible bucket (django-storages) when POSTDESK_STORAGE=s3 says so; and the
documents' code never asks a stored file for a local path."""

import ast
import subprocess
import sys

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models.fields.files import FieldFile

from postdesk.coordination import documents, edl
from tests.core.test_deploy_settings import a_key, minimal_env, settings_in_a_fresh_process

S3 = {
    "POSTDESK_STORAGE": "s3",
    "POSTDESK_S3_BUCKET": "postdesk-docs",
    "POSTDESK_S3_ENDPOINT_URL": "https://s3.eu-west-2.example.net",
    "POSTDESK_S3_REGION": "eu-west-2",
    "POSTDESK_S3_ACCESS_KEY_ID": "AKIAEXAMPLE",
    "POSTDESK_S3_SECRET_ACCESS_KEY": "not-a-real-secret",
    "POSTDESK_S3_PREFIX": "soho",
}


def storages_of(tmp_path, **env) -> dict:
    result = settings_in_a_fresh_process(tmp_path, "STORAGES", SECRET_KEY=a_key(), **env)
    assert result.returncode == 0, result.stderr
    return ast.literal_eval(result.stdout.strip())


def test_files_are_kept_on_disk_under_var_by_default(tmp_path):
    storages = storages_of(tmp_path)

    assert storages["default"] == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    media = settings_in_a_fresh_process(tmp_path, "MEDIA_ROOT", SECRET_KEY=a_key())
    assert media.stdout.strip() == repr(tmp_path / "media")


def test_the_s3_backend_is_chosen_with_the_options_given(tmp_path):
    storages = storages_of(tmp_path, **S3)

    assert storages["default"] == {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": "postdesk-docs",
            "endpoint_url": "https://s3.eu-west-2.example.net",
            "region_name": "eu-west-2",
            "access_key": "AKIAEXAMPLE",
            "secret_key": "not-a-real-secret",
            "location": "soho",
            "file_overwrite": False,
            "default_acl": None,
        },
    }
    # django-storages is installed and takes those options (no network needed to build it).
    code = (
        "import django; django.setup(); from django.core.files.storage import default_storage"
        " as d; d._setup(); w = d._wrapped; "
        "print(type(w).__name__, w.bucket_name, w.endpoint_url, w.location, w.file_overwrite)"
    )
    built = subprocess.run(
        [sys.executable, "-c", code],
        env=minimal_env(tmp_path, SECRET_KEY=a_key(), **S3),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert built.returncode == 0, built.stderr
    assert built.stdout.split() == [
        "S3Storage",
        "postdesk-docs",
        "https://s3.eu-west-2.example.net",
        "soho",
        "False",
    ]


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"POSTDESK_STORAGE": "s3"}, "POSTDESK_STORAGE=s3 needs POSTDESK_S3_BUCKET"),
        ({"POSTDESK_STORAGE": "ftp"}, "use filesystem (the default) or s3"),
    ],
)
def test_an_incomplete_or_unknown_storage_is_refused_at_start(tmp_path, env, message):
    result = settings_in_a_fresh_process(tmp_path, "STORAGES", SECRET_KEY=a_key(), **env)

    assert result.returncode != 0
    assert message in result.stderr


def _no_local_path(self):
    raise AssertionError(f"{self.name} was asked for its local path: a bucket has none")


@pytest.mark.django_db
def test_documents_and_edls_never_ask_a_stored_file_for_its_local_path(
    settings, tmp_path, production, users, page_as, monkeypatch
):
    # A FieldFile's .path works only on a local disk; on S3 it raises. Here it always
    # fails, so a document, a version, an EDL or a download that used it would fail too.
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setattr(FieldFile, "path", property(_no_local_path))
    coordinator = users["coordinator"]
    first = documents.upload_document(
        production=production,
        kind="script",
        title="Script",
        file=SimpleUploadedFile("script.txt", b"INT. KITCHEN - DAY"),
        actor=coordinator,
    )
    second = documents.add_version(
        first.document, file=SimpleUploadedFile("script.txt", b"EXT. PIER"), actor=coordinator
    )
    cut = edl.import_edl(
        production=production,
        title="EDL",
        file=SimpleUploadedFile(
            "cut.edl", b"001  TAPE_01 V C 01:00:00:00 01:00:01:00 01:00:00:00 01:00:01:00\n"
        ),
        rate="25",
        actor=coordinator,
    )

    with pytest.raises(AssertionError, match="local path"):
        second.file.path  # noqa: B018 (the guard itself works)
    http = page_as("coordinator")
    download = http.get(f"/coordination/versions/{second.pk}/download/")
    assert b"".join(download.streaming_content) == b"EXT. PIER"
    assert http.get(f"/coordination/edls/{cut.pk}/").status_code == 200
    with default_storage.open(cut.version.file.name, "rb") as f:
        assert f.read().startswith(b"001  TAPE_01")
