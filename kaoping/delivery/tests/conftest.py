from kaoping.testing.smtp import smtp_server  # noqa: F401 - the fixture
from kaoping.testing.webhook import webhooks  # noqa: F401 - the fixture
