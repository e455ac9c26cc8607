"""The named people of the fictional company 桜商事 (sakura-shoji), each one a lesson.

Ten users exist today in every company size, so every misconfiguration is present
even at ``size=10``; one more (kato.takeshi) left and was deleted between quarters.
Days are counted back from the company's ``today``; quarters are 91 days apart.
"""

from __future__ import annotations

from reportgen.sandbox.spec import InlinePolicySpec
from reportgen.sandbox.timeline import ACTIVE, NEVER, KeyLife, Person, Usage

OSAKA = "ap-northeast-3"
VIRGINIA = "us-east-1"

OPS_EXTRA = InlinePolicySpec(
    "ops-instance-control",
    {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": ["ec2:StartInstances", "ec2:StopInstances", "ec2:RebootInstances"],
                "Resource": "*",
            }
        ],
    },
)

# The attacker's foothold: a developer who may pass any role to Lambda, create and invoke
# functions (PassRole + Lambda: the ops-automation role is an administrator), and rewrite the
# team's S3 policy (iam:CreatePolicyVersion on a policy attached to the developer's group).
LAMBDA_DEPLOY = InlinePolicySpec(
    "lambda-deploy",
    {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": ["iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction"],
                "Resource": "*",
            },
            {
                "Effect": "Allow",
                "Action": "iam:CreatePolicyVersion",
                "Resource": "arn:aws:iam::*:policy/dev-s3-full",
            },
        ],
    },
)

CAST: tuple[Person, ...] = (
    # An administrator who does everything right: MFA, group permissions, keys rotated quarterly.
    Person(
        "tanaka.hiroshi",
        created=1500,
        groups=("Admins",),
        mfa=1490,
        keys=(
            KeyLife(330, service="ec2", deleted=239),
            KeyLife(240, service="ec2", deleted=149),
            KeyLife(150, service="ec2", deleted=59),
            KeyLife(60, service="ec2"),
        ),
        tags=(("team", "infra"),),
    ),
    # A developer with AdministratorAccess attached directly, no MFA and a 400-day-old key.
    Person(
        "sato.kenji",
        created=700,
        groups=("Developers",),
        login=Usage(0, 2),
        keys=(KeyLife(400, usage=Usage(0, 0), service="ec2"),),
        policies=("AdministratorAccess",),
        tags=(("team", "app"),),
    ),
    # An operator with an inline policy and, since this quarter, two active keys.
    Person(
        "suzuki.yuki",
        created=1000,
        groups=("Operators",),
        login=Usage(0, 3),
        mfa=980,
        keys=(
            KeyLife(500, service="ec2", deleted=199),
            KeyLife(200, usage=Usage(120, 2), service="ec2"),
            KeyLife(30, service="ec2"),
        ),
        inline=(OPS_EXTRA,),
        tags=(("team", "ops"),),
    ),
    # Left the company 200 days ago; the user, its password and its key are still there.
    Person(
        "kobayashi.emi",
        created=900,
        groups=("Developers",),
        login=Usage(200, 1),
        mfa=880,
        keys=(KeyLife(600, usage=Usage(190, 1)),),
        tags=(("team", "app"),),
    ),
    # The CI pipeline's user: a policy attached directly, an 800-day-old key used daily.
    Person(
        "svc-ci-deploy",
        created=800,
        console=False,
        keys=(KeyLife(800, usage=Usage(0, 0), service="cloudformation"),),
        policies=("ci-deploy",),
        tags=(("team", "platform"),),
    ),
    # A backup job that was never switched on: a key created 500 days ago, never used.
    Person(
        "svc-backup",
        created=500,
        console=False,
        keys=(KeyLife(500, usage=NEVER),),
        tags=(("team", "infra"),),
    ),
    # A contractor: console without MFA, in no group, with a key made at setup and never used.
    Person(
        "ito.naoki",
        created=110,
        login=Usage(0, 4),
        keys=(KeyLife(110, usage=NEVER),),
        tags=(("employment", "contractor"),),
    ),
    # An auditor who turned MFA on a few weeks after joining.
    Person("watanabe.mai", created=300, groups=("Auditors",), login=Usage(0, 5), mfa=250),
    # This quarter's new hire, not yet enrolled in MFA.
    Person("yamamoto.sho", created=40, groups=("Developers",), login=ACTIVE),
    # A developer whose key, rotated 120 days ago, has just passed 90 days; given a
    # "temporary" deployment policy that lets them escalate to administrator.
    Person(
        "nakamura.aoi",
        created=200,
        groups=("Developers",),
        login=Usage(0, 2),
        mfa=150,
        keys=(KeyLife(195, deleted=121), KeyLife(120)),
        inline=(LAMBDA_DEPLOY,),
    ),
    # Left and was deleted 120 days ago (between the second and third quarter).
    Person(
        "kato.takeshi",
        created=1200,
        deleted=120,
        groups=("Developers",),
        login=Usage(130, 1),
        keys=(KeyLife(500, usage=Usage(125, 1)),),
        policies=("PowerUserAccess",),
    ),
)
