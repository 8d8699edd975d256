"""A real OpenLDAP directory for the single sign-on tests: Debian's ``slapd`` started on a
free loopback port with its own slapd.conf and mdb database in a temporary directory.

Each pytest-xdist worker is its own process, so the session fixture gives every worker
its own server, port and data directory. Without slapd on the machine the tests skip,
unless ``KAOPING_REQUIRE_LDAP=1`` (set by ``.ci/run``) makes that a failure.
"""

import base64
import hashlib
import os
import secrets
import shutil
import socket
import subprocess  # noqa: S404
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

SUFFIX = "dc=kaoping,dc=test"
PEOPLE = f"ou=people,{SUFFIX}"
ADMIN_DN = f"cn=admin,{SUFFIX}"
SCHEMA_DIR = Path("/etc/ldap/schema")
MODULE_DIR = Path("/usr/lib/ldap")


@dataclass(frozen=True)
class DirectoryUser:
    uid: str
    password: str
    name: str
    employee_number: str = ""
    mobile: str = ""


@dataclass
class Directory:
    url: str
    search_base: str = PEOPLE
    admin_dn: str = ADMIN_DN
    admin_password: str = ""
    users: dict[str, DirectoryUser] = field(default_factory=dict)
    ca_file: str = ""  # the CA that signed the server's StartTLS certificate


# The people every test directory holds (kaoping/accounts/tests/test_ldap*.py map them).
USERS = (
    DirectoryUser("zhangsan", "dir-pass-zhangsan", "张三", employee_number="M1"),
    DirectoryUser("lisi", "dir-pass-lisi", "李四", employee_number="M1B"),
    DirectoryUser("wangwu", "dir-pass-wangwu", "王五", mobile="13800000002"),
    DirectoryUser("stranger", "dir-pass-stranger", "路人甲", employee_number="X999"),
    DirectoryUser("leaver", "dir-pass-leaver", "离开者", employee_number="M2"),
    DirectoryUser("member1", "dir-pass-member1", "同名者"),
)


def ssha(password: str) -> str:
    """The {SSHA} form slapd checks a bind against (salted SHA-1, as slappasswd makes)."""
    salt = secrets.token_bytes(8)
    digest = hashlib.sha1(password.encode() + salt).digest()  # noqa: S324 - slapd's format
    return "{SSHA}" + base64.b64encode(digest + salt).decode()


def slapd_binary() -> str | None:
    return shutil.which("slapd") or shutil.which("slapd", path="/usr/sbin:/usr/local/sbin")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _certificates(workdir: Path) -> tuple[Path, Path, Path]:
    """A throwaway CA and a server certificate for 127.0.0.1 signed by it (StartTLS)."""
    import datetime
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    now = datetime.datetime.now(datetime.UTC)

    def cert(subject, issuer, public_key, signing_key, *, ca: bool, san=None):
        builder = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
            .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, issuer)]))
            .public_key(public_key)
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        )
        if san:
            builder = builder.add_extension(x509.SubjectAlternativeName(san), critical=False)
        return builder.sign(signing_key, hashes.SHA256())

    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = cert("Kaoping test CA", "Kaoping test CA", ca_key.public_key(), ca_key, ca=True)
    key = ec.generate_private_key(ec.SECP256R1())
    server = cert(
        "127.0.0.1",
        "Kaoping test CA",
        key.public_key(),
        ca_key,
        ca=False,
        san=[x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")],
    )
    paths = (workdir / "ca.pem", workdir / "server.pem", workdir / "server.key")
    paths[0].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    paths[1].write_bytes(server.public_bytes(serialization.Encoding.PEM))
    paths[2].write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return paths


def _config(workdir: Path, admin_password: str) -> str:
    schemas = "\n".join(
        f"include {SCHEMA_DIR / name}.schema" for name in ("core", "cosine", "inetorgperson")
    )
    ca, server, key = _certificates(workdir)
    return f"""{schemas}
TLSCACertificateFile {ca}
TLSCertificateFile {server}
TLSCertificateKeyFile {key}
pidfile {workdir / "slapd.pid"}
modulepath {MODULE_DIR}
moduleload back_mdb
database mdb
maxsize 16777216
suffix "{SUFFIX}"
rootdn "{ADMIN_DN}"
rootpw {ssha(admin_password)}
directory {workdir / "data"}
access to attrs=userPassword by self write by anonymous auth by * none
access to * by * read
"""


def _ldif(users: tuple[DirectoryUser, ...]) -> str:
    blocks = [
        f"dn: {SUFFIX}\nobjectClass: dcObject\nobjectClass: organization\no: Kaoping\ndc: kaoping",
        f"dn: {PEOPLE}\nobjectClass: organizationalUnit\nou: people",
    ]
    for user in users:
        lines = [
            f"dn: uid={user.uid},{PEOPLE}",
            "objectClass: inetOrgPerson",
            f"uid: {user.uid}",
            f"cn:: {base64.b64encode(user.name.encode()).decode()}",
            f"sn:: {base64.b64encode(user.name[:1].encode()).decode()}",
            f"userPassword: {ssha(user.password)}",
        ]
        if user.employee_number:
            lines.append(f"employeeNumber: {user.employee_number}")
        if user.mobile:
            lines.append(f"mobile: {user.mobile}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"


def _answers(url: str, password: str) -> bool:
    import ldap3

    try:
        conn = ldap3.Connection(
            ldap3.Server(url, connect_timeout=1), ADMIN_DN, password, receive_timeout=2
        )
        ok = conn.bind()
        conn.unbind()
        return ok
    except Exception:  # noqa: BLE001 - not up yet
        return False


def run_slapd(workdir: Path, users: tuple[DirectoryUser, ...] = USERS) -> Iterator[Directory]:
    """Start slapd in ``workdir`` with ``users`` loaded; yield it; stop it."""
    binary = slapd_binary()
    assert binary is not None
    slapadd = shutil.which("slapadd", path=f"{Path(binary).parent}:/usr/sbin") or "slapadd"
    admin_password = secrets.token_urlsafe(12)
    (workdir / "data").mkdir(parents=True)
    conf = workdir / "slapd.conf"
    conf.write_text(_config(workdir, admin_password))
    data = workdir / "people.ldif"
    data.write_text(_ldif(users), encoding="utf-8")
    subprocess.run(  # noqa: S603
        [slapadd, "-q", "-f", str(conf), "-l", str(data)], check=True, capture_output=True
    )
    for _attempt in range(5):
        url = f"ldap://127.0.0.1:{_free_port()}"
        log = (workdir / "slapd.log").open("wb")
        proc = subprocess.Popen(  # noqa: S603
            [binary, "-d", "0", "-f", str(conf), "-h", f"{url}/"],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 15
        while proc.poll() is None and time.monotonic() < deadline:
            if _answers(url, admin_password):
                break
            time.sleep(0.1)
        else:
            proc.kill()
            proc.wait()
            log.close()
            continue  # the port was taken meanwhile, or slapd is slow: another port
        try:
            yield Directory(
                url=url,
                admin_password=admin_password,
                ca_file=str(workdir / "ca.pem"),
                users={user.uid: user for user in users},
            )
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            log.close()
        return
    raise RuntimeError(
        "slapd did not start: " + (workdir / "slapd.log").read_text(errors="replace")[-2000:]
    )


@pytest.fixture(scope="session")
def slapd(tmp_path_factory) -> Iterator[Directory]:
    """A running directory for this test process (one per xdist worker)."""
    require_slapd()
    yield from run_slapd(tmp_path_factory.mktemp("slapd"))


def require_slapd() -> None:
    """Skip without slapd, except where KAOPING_REQUIRE_LDAP=1 (CI): fail there."""
    if slapd_binary() is not None:
        return
    if os.environ.get("KAOPING_REQUIRE_LDAP") == "1":
        pytest.fail("slapd is not installed but KAOPING_REQUIRE_LDAP=1 (apt-get install slapd)")
    pytest.skip("slapd is not installed (Debian: apt-get install slapd ldap-utils)")
