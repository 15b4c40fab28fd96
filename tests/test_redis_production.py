"""Redis as production runs it: TLS with the provider's own CA, and Sentinel with a
failover in the middle of the bot's work. Real redis-server processes (CI installs
them); skipped with a reason where redis-server is absent."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
import redis

from storage import connect
from storage.connection import binary_twin
from tests.helpers import REDIS_SERVER, free_port

pytestmark = pytest.mark.skipif(REDIS_SERVER is None,
                                reason="redis-server is not installed here (CI installs it)")


def start(args: list[str], folder: str) -> subprocess.Popen:
    return subprocess.Popen([REDIS_SERVER, *args, "--dir", folder],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env={k: v for k, v in os.environ.items() if k != "LD_PRELOAD"})


def wait_until(check, timeout=20.0):
    deadline = time.monotonic() + timeout
    while True:
        try:
            if check():
                return
        except (redis.ConnectionError, redis.TimeoutError, redis.ResponseError):
            pass
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.1)


# -- TLS ---------------------------------------------------------------------------

def self_signed(folder: Path) -> tuple[Path, Path, Path]:
    """A CA of our own and a server certificate it signed for 127.0.0.1, as a managed
    Redis provider hands out."""
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    def key():
        return ec.generate_private_key(ec.SECP256R1())

    def pem(k):
        return k.private_bytes(serialization.Encoding.PEM,
                               serialization.PrivateFormat.TraditionalOpenSSL,
                               serialization.NoEncryption())

    now = dt.datetime.now(dt.UTC)
    ca_key, server_key = key(), key()
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "geese-bot test CA")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name)
          .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
          .not_valid_before(now - dt.timedelta(days=1))
          .not_valid_after(now + dt.timedelta(days=30))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .sign(ca_key, hashes.SHA256()))
    server = (x509.CertificateBuilder()
              .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
              .issuer_name(ca_name).public_key(server_key.public_key())
              .serial_number(x509.random_serial_number())
              .not_valid_before(now - dt.timedelta(days=1))
              .not_valid_after(now + dt.timedelta(days=30))
              .add_extension(x509.SubjectAlternativeName(
                  [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
              .sign(ca_key, hashes.SHA256()))
    paths = folder / "ca.pem", folder / "server.pem", folder / "server.key"
    paths[0].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    paths[1].write_bytes(server.public_bytes(serialization.Encoding.PEM))
    paths[2].write_bytes(pem(server_key))
    return paths


def test_rediss_with_the_providers_ca():
    folder = Path(tempfile.mkdtemp(prefix="geese-bot-tls-"))
    ca, cert, key_file = self_signed(folder)
    port = free_port()
    proc = start(["--port", "0", "--tls-port", str(port), "--tls-cert-file", str(cert),
                  "--tls-key-file", str(key_file), "--tls-ca-cert-file", str(ca),
                  "--tls-auth-clients", "no", "--save", ""], str(folder))
    url = f"rediss://127.0.0.1:{port}/0"
    try:
        verified = connect(url, ca_cert=str(ca))
        wait_until(verified.ping)
        verified.set("geese", "honk")
        assert verified.get("geese") == "honk"
        assert binary_twin(verified).get("geese") == b"honk"  # RQ's connection, too
        with pytest.raises(redis.ConnectionError):  # the system's CAs don't know it
            connect(url).ping()
        assert connect(url, tls_verify=False).get("geese") == "honk"
    finally:
        proc.kill()
        proc.wait()
        shutil.rmtree(folder, ignore_errors=True)


# -- Sentinel ------------------------------------------------------------------------

def watching(master: dict) -> bool:
    return master["num-other-sentinels"] == 2 and master["num-slaves"] == 1


@pytest.fixture
def sentinels():
    """A master, a replica, and three sentinels watching them as `geese`."""
    folder = tempfile.mkdtemp(prefix="geese-bot-sentinel-")
    master, replica = free_port(), free_port()
    procs = [start(["--port", str(master), "--save", ""], folder),
             start(["--port", str(replica), "--save", "", "--replicaof", "127.0.0.1",
                    str(master)], folder)]
    ports = [free_port() for _ in range(3)]
    for port in ports:
        conf = Path(folder) / f"sentinel-{port}.conf"
        conf.write_text(f"port {port}\nsentinel monitor geese 127.0.0.1 {master} 2\n"
                        "sentinel down-after-milliseconds geese 1000\n"
                        "sentinel failover-timeout geese 5000\n")
        procs.append(start([str(conf), "--sentinel"], folder))
    wait_until(lambda: redis.Redis(port=replica).info("replication")["master_link_status"]
               == "up")
    # Sentinels learn of the replica from the master's INFO, polled every 10 s: a master
    # killed before every sentinel has listed it leaves nothing to promote.
    wait_until(lambda: all(watching(redis.Redis(port=p).sentinel_master("geese"))
                           for p in ports), timeout=60)
    yield {"url": "redis+sentinel://" + ",".join(f"127.0.0.1:{p}" for p in ports) + "/geese",
           "master": procs[0], "master_port": master, "replica_port": replica}
    for proc in procs:
        proc.kill()
        proc.wait()
    shutil.rmtree(folder, ignore_errors=True)


def test_a_sentinel_failover_mid_run_loses_nothing(sentinels, clock):
    from bot.work.queue import RqQueue
    from playground.stack import start_stack

    client = connect(sentinels["url"])
    with start_stack(redis_client=client, clock=clock) as stack:
        stack.quick_link("U0DANA")
        assert stack.driver.command("U0DANA", "nudges on 08:00 daily").status == 200
        queue = RqQueue(client, binary_twin(client))
        assert queue.enqueue("person_poll", "-:T0GANDER:U0DANA", natural_id="before")
        redis.Redis(port=sentinels["master_port"]).execute_command("WAIT", 1, 2000)

        sentinels["master"].kill()  # the master dies; the sentinels promote the replica
        wait_until(lambda: client.set("geese-bot:failover-probe", 1), timeout=60)
        promoted = redis.Redis(port=sentinels["replica_port"]).info("replication")
        assert promoted["role"] == "master"

        # Everything written before is there, and the bot carries on without a restart.
        from storage import SlackIdentity

        assert stack.services.links.find(SlackIdentity("T0GANDER", "U0DANA")) is not None
        assert stack.services.reminders.nudges.ids() == ["-:T0GANDER:U0DANA"]
        assert queue.depth() == 1
        reply = stack.driver.command("U0DANA", "status")
        assert reply.status == 200 and "Dana Ito" in str(reply.body)
        assert stack.driver.command("U0DANA", "nudges off").status == 200
        assert stack.services.reminders.nudges.ids() == []
