"""``publish`` against a real S3-compatible HTTP server (moto's server mode on 127.0.0.1) through
the real boto3 client, and to a directory."""

from __future__ import annotations

import boto3
import pytest

from audio_edition.config import parse_config
from audio_edition.feed import write_feed
from audio_edition.publish import PublishError, publish
from audio_edition.site import write_site

from .conftest import run_cli
from .fakes.episodes import BASE_URL, make_episode, make_show

moto_server = pytest.importorskip("moto.server")

CREDS = {"AWS_ACCESS_KEY_ID": "testing-key-id", "AWS_SECRET_ACCESS_KEY": "testing-secret-value-42",
         "AWS_DEFAULT_REGION": "us-east-1"}


@pytest.fixture(scope="module")
def s3_endpoint():
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3(s3_endpoint, monkeypatch, request):
    for k, v in CREDS.items():
        monkeypatch.setenv(k, v)
    for k in ("AWS_PROFILE", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(k, raising=False)
    client = boto3.client("s3", endpoint_url=s3_endpoint)
    bucket = "show-" + request.node.name.replace("_", "-")[:40].lower().strip("-")
    client.create_bucket(Bucket=bucket)
    return client, bucket, s3_endpoint


def built(out, count=3):
    make_show(out, count)
    (out / "cover.jpg").write_bytes(b"\xff\xd8\xff\xe0 cover")
    (out / ".audio-edition" / "cache").mkdir(parents=True)
    (out / ".audio-edition" / "cache" / "seg.wav").write_bytes(b"RIFF")
    (out / ".audio-edition" / "lock").write_text("")
    write_feed(out, parse_config({}), BASE_URL)
    write_site(out, parse_config({}), BASE_URL)
    return out


def objects(client, bucket):
    out = {}
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        for o in page.get("Contents", []):
            out[o["Key"]] = o
    return out


def test_every_file_arrives_with_its_type_size_and_cache_policy(tmp_path, s3):
    client, bucket, endpoint = s3
    out = built(tmp_path / "out")
    order = []
    result = publish(out, f"s3://{bucket}/podcast/", endpoint_url=endpoint, on_progress=lambda i, n, k: order.append(k))
    there = objects(client, bucket)
    local = {p.relative_to(out).as_posix(): p for p in out.rglob("*") if p.is_file()
             and ".audio-edition" not in p.parts}
    assert set(there) == {f"podcast/{k}" for k in local}
    assert not any(".audio-edition" in k for k in there)
    expected_types = {".mp3": "audio/mpeg", ".xml": "application/rss+xml", ".vtt": "text/vtt",
                      ".srt": "application/x-subrip", ".json": "application/json", ".html": "text/html",
                      ".jpg": "image/jpeg"}
    for key, path in local.items():
        head = client.head_object(Bucket=bucket, Key=f"podcast/{key}")
        assert head["ContentLength"] == path.stat().st_size
        assert head["ContentType"].split(";")[0] == expected_types[path.suffix], key
        short = key.endswith((".xml", ".html"))
        assert ("max-age=300" in head["CacheControl"]) == short, key
    body = client.get_object(Bucket=bucket, Key="podcast/feed.xml")["Body"].read()
    assert body == (out / "feed.xml").read_bytes()
    assert order[-2:] == ["feed.xml", "index.html"]  # media and sidecars first
    assert len(result.uploaded) == len(local) and not result.unchanged


def test_a_second_publish_uploads_nothing_and_a_new_episode_only_its_files(tmp_path, s3):
    client, bucket, endpoint = s3
    out = built(tmp_path / "out")
    publish(out, f"s3://{bucket}", endpoint_url=endpoint)
    again = publish(out, f"s3://{bucket}", endpoint_url=endpoint)
    assert again.uploaded == [] and len(again.unchanged) == len(objects(client, bucket))
    make_episode(out, 4)
    write_feed(out, parse_config({}), BASE_URL)
    write_site(out, parse_config({}), BASE_URL)
    third = publish(out, f"s3://{bucket}", endpoint_url=endpoint)
    new = {k for k in third.uploaded if "lettre-4" in k}
    assert new and set(third.uploaded) - new == {"feed.xml", "index.html"}
    assert third.uploaded[-2:] == ["feed.xml", "index.html"]


def test_a_failed_upload_leaves_the_old_feed(tmp_path, s3):
    client, bucket, endpoint = s3
    out = built(tmp_path / "out")
    publish(out, f"s3://{bucket}", endpoint_url=endpoint)
    old_feed = client.get_object(Bucket=bucket, Key="feed.xml")["Body"].read()
    make_episode(out, 4)
    write_feed(out, parse_config({}), BASE_URL)
    assert (out / "feed.xml").read_bytes() != old_feed
    failing = boto3.client("s3", endpoint_url=endpoint)

    def refuse_mp3(params, **_):
        if params["Key"].endswith(".mp3"):
            raise failing.exceptions.ClientError(
                {"Error": {"Code": "SlowDown", "Message": "Please reduce your request rate."}}, "PutObject")

    failing.meta.events.register("provide-client-params.s3.PutObject", refuse_mp3)
    with pytest.raises(PublishError, match=r"cannot upload episodes/.*lettre-4\.mp3 in s3://.*SlowDown"):
        publish(out, f"s3://{bucket}", client=failing)
    assert client.get_object(Bucket=bucket, Key="feed.xml")["Body"].read() == old_feed


def test_the_command_publishes_and_never_prints_the_secret(tmp_path, s3):
    _client, bucket, endpoint = s3
    out = built(tmp_path / "out")
    proc = run_cli("publish", "--out", out, f"s3://{bucket}/p", "--endpoint-url", endpoint)
    assert proc.returncode == 0, proc.stderr
    assert "files sent" in proc.stdout
    proc = run_cli("publish", "--out", out, "s3://no-such-bucket-here/p", "--endpoint-url", endpoint)
    assert proc.returncode == 1 and proc.stderr.count("\n") == 1 and "NoSuchBucket" in proc.stderr
    for text in (proc.stdout, proc.stderr):
        assert CREDS["AWS_SECRET_ACCESS_KEY"] not in text and CREDS["AWS_ACCESS_KEY_ID"] not in text
    leaked = [p for p in out.rglob("*") if p.is_file() and
              CREDS["AWS_SECRET_ACCESS_KEY"].encode() in p.read_bytes()]
    assert leaked == []


def test_no_credentials_is_one_line(tmp_path, s3_endpoint, monkeypatch):
    out = built(tmp_path / "out", 1)
    for k in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_PROFILE", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(k, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    proc = run_cli("publish", "--out", out, "s3://b/p", "--endpoint-url", s3_endpoint)
    assert proc.returncode == 1 and "no AWS credentials found" in proc.stderr and "Traceback" not in proc.stderr


def test_publish_to_a_directory_copies_only_what_changed(tmp_path):
    out = built(tmp_path / "out")
    dest = tmp_path / "www"
    first = publish(out, str(dest))
    assert (dest / "feed.xml").read_bytes() == (out / "feed.xml").read_bytes()
    assert not (dest / ".audio-edition").exists()
    assert len(first.uploaded) == sum(1 for p in out.rglob("*") if p.is_file() and ".audio-edition" not in p.parts)
    assert publish(out, str(dest)).uploaded == []
    transcript = next(out.glob("episodes/*/transcript.vtt"))
    transcript.write_text(transcript.read_text().replace("Sujet", "SUJET"))  # same size: only the hash tells
    assert publish(out, str(dest)).uploaded == [transcript.relative_to(out).as_posix()]


def test_bad_destinations_are_usage_errors(tmp_path):
    out = built(tmp_path / "out", 1)
    for dest in ("ftp://host/x", "s3://"):
        proc = run_cli("publish", "--out", out, dest)
        assert proc.returncode == 2 and proc.stderr.count("\n") == 1, proc.stderr
    proc = run_cli("publish", "--out", tmp_path / "empty", str(tmp_path / "www"))
    assert proc.returncode == 1 and "nothing to publish" in proc.stderr
