"""Demo data: version 1 of the confidentiality pledge, signed by most of the staff."""
from .. import seed
from . import services

PLEDGE_TEXT = """\
To the S.T. Group

I pledge the following with regard to the personal information and confidential
information of the company, its customers, employees and business partners that
I come to know in my work.

1. I will handle personal information only within the scope of my duties and for
the purposes of use notified to the persons concerned, following the company's
privacy policy, its rules and the Guidelines for the Protection of Personal
Information.

2. I will not disclose or provide personal information or confidential
information to any third party, nor use it for my own purposes or the purposes
of others, without the company's permission.

3. I will not copy, take out or send outside the company any personal
information except as the rules allow, and I will keep devices, media and papers
holding it under the security measures required.

4. If I learn of a leak, loss or damage of personal information, or the risk of
it, I will report it to the company at once.

5. These obligations continue after I leave the company. On leaving I will
return or destroy every piece of personal information in my possession.

I understand that a breach of this pledge may lead to disciplinary action and to
liability for the damage caused."""


@seed.register(310)
def seed_pledge(context):
    users = context['users']
    version = services.publish_version('Confidentiality pledge', PLEDGE_TEXT,
                                       'First version.', users['chair'], 0)
    for local in ('chair', 'committee', 'auditor', 'cc', 'manager.sales', 'manager.hr',
                  'manager.it', 'alice'):
        user = users[local]
        services.sign(user, version.number, version.text_sha256, user.name)
