"""Demo data: the Guidelines for the Protection of Personal Information, in two versions."""
from .. import seed
from . import services

VERSION_1 = """\
# 1. Purpose

These guidelines set out how every person working for the S.T. Group handles
personal information under the privacy policy.

# 2. Acquisition

* Acquire personal information only by lawful and fair means.
* Notify or publish the purpose of use before or at acquisition.
* Special-care-required personal information needs the person's prior consent.

# 3. Storage

* Keep paper records in locked cabinets.
* Keep electronic records only on company servers with access control.
* USB memory may be used when the manager approves it.

# 4. Provision to third parties

* Provide personal data to a third party only with the person's consent, or as
  the law allows.
* Record every provision in the third-party provision register.

# 5. Incidents

Report a suspected leak to the Personal Information Protection Committee within
one working day."""

VERSION_2 = """\
# 1. Purpose

These guidelines set out how every person working for the S.T. Group handles
personal information under the privacy policy.

# 2. Acquisition

* Acquire personal information only by lawful and fair means.
* Notify or publish the purpose of use before or at acquisition.
* Special-care-required personal information needs the person's prior consent.

# 3. Storage

* Keep paper records in locked cabinets.
* Keep electronic records only on company servers with access control.
* Only company-issued, encrypted USB memory may be used, registered in the asset register.
* Record each carry-out of media in the register with the manager's approval.

# 4. Provision to third parties

* Provide personal data to a third party only with the person's consent, or as
  the law allows.
* Record every provision in the third-party provision register.
* Keep each record for at least 3 years (1 year where the rules allow).

# 5. Incidents

Report a suspected leak in stintranet at once, even outside working hours: the
company has 3 to 5 days for its preliminary report to the Commission."""


@seed.register(320)
def seed_guidelines(context):
    chair = context['users']['chair']
    guideline = services.create_guideline(
        'GL-PI', 'Guidelines for the Protection of Personal Information', VERSION_1,
        'First edition.', chair)
    services.publish_version(
        guideline, 'Guidelines for the Protection of Personal Information', VERSION_2,
        'Encrypted USB memory only; carry-out records; retention of provision records; '
        'incidents reported at once.', chair, 1)
