"""Make moto's EC2 DescribeRegions answer like AWS for a commercial account.

Stock moto 5.2 answers every DescribeRegions with 38 regions: every commercial region,
opt-in ones included (three of them marked ``opt-in-not-required``), plus the China and
GovCloud regions, whatever ``AllRegions`` says. AWS lists the regions enabled for the account
unless ``AllRegions`` is true: the regions launched before 20 March 2019 are enabled by default
and cannot be disabled; later (opt-in) regions only once the account enables them; regions of
another partition are never listed
(https://docs.aws.amazon.com/accounts/latest/reference/manage-acct-regions.html,
https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeRegions.html,
https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-regions.html).
The collector reads Access Analyzer and EC2 instances in every enabled region, so this is what
decides how many regions the demo and the tests read.

Speed, not fidelity: moto builds a region's whole EC2 model (default VPC, subnets, security
groups; about 0.2 s) on the first request there, so DescribeInstances in 17 regions cost the
demo over 3 s per quarter. AWS answers an empty region at once; so does the sandbox, without
building the model, when the account never created anything there. Where the sandbox does
create instances, moto would also load its catalogue of some 9,000 public AMIs (each with a
volume and a snapshot: about 0.7 s per region); the sandbox's instances use a placeholder image
and nothing reads the catalogue, so it is not loaded (``MOTO_EC2_LOAD_DEFAULT_AMIS`` set in the
environment still decides).
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterable
from typing import Any

import boto3
from moto import settings as moto_settings
from moto.account.models import account_backends
from moto.core.responses import ActionResult
from moto.ec2.models import ec2_backends
from moto.ec2.responses import availability_zones_and_regions as ec2_regions
from moto.ec2.responses import instances as ec2_instances

from reportgen.sandbox.spec import DEFAULT_REGIONS

_OPTED_IN = "reportgen_opted_in_regions"
_MARK = "_reportgen_regions"


def _partition(region: str) -> str:
    if region.startswith("cn-"):
        return "aws-cn"
    return "aws-us-gov" if region.startswith("us-gov-") else "aws"


@functools.cache
def _partition_regions(partition: str) -> tuple[str, ...]:
    return tuple(sorted(boto3.session.Session().get_available_regions("ec2", partition)))


def _account(account_id: str) -> Any:
    return account_backends[account_id]["aws"]


def opt_in(account_id: str, regions: Iterable[str]) -> None:
    """Enable opt-in ``regions`` for the account (default regions are enabled already)."""
    backend = _account(account_id)
    wanted = {r for r in regions if r not in DEFAULT_REGIONS}
    setattr(backend, _OPTED_IN, frozenset(getattr(backend, _OPTED_IN, frozenset()) | wanted))


def enabled_regions(account_id: str) -> tuple[str, ...]:
    """The commercial regions DescribeRegions lists for the account, sorted."""
    opted: frozenset[str] = getattr(_account(account_id), _OPTED_IN, frozenset())
    return tuple(sorted(set(DEFAULT_REGIONS) | opted))


def _status(name: str, partition: str, opted: frozenset[str]) -> str:
    if partition != "aws" or name in DEFAULT_REGIONS:
        return "opt-in-not-required"
    return "opted-in" if name in opted else "not-opted-in"


def _respond_describe_regions(self: Any) -> ActionResult:
    self.error_on_dryrun()
    partition = _partition(str(self.region))
    opted: frozenset[str] = getattr(_account(self.current_account), _OPTED_IN, frozenset())
    names = list(self._get_param("RegionNames", []) or [])
    every = str(self._get_param("AllRegions", False)).lower() == "true"
    suffix = ".com.cn" if partition == "aws-cn" else ".com"
    regions = []
    for name in _partition_regions(partition):
        status = _status(name, partition, opted)
        # Named regions are listed whether enabled or not; otherwise only the enabled ones.
        if names and name not in names:
            continue
        if not names and not every and status == "not-opted-in":
            continue
        regions.append(
            {"RegionName": name, "Endpoint": f"ec2.{name}.amazonaws{suffix}", "OptInStatus": status}
        )
    return ActionResult({"Regions": regions})


def _lazy_describe_instances(original: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def describe_instances(self: Any) -> Any:
        # keys(), not ``in``: moto's ``in`` is true for every region it could create.
        if self.region not in ec2_backends[self.current_account].keys():  # noqa: SIM118
            self.error_on_dryrun()
            return ActionResult({"Reservations": []})  # nothing was ever created there
        return original(self)

    return describe_instances


def install() -> None:
    """Patch moto's DescribeRegions (and DescribeInstances' empty regions) in this process
    (idempotent)."""
    response_cls: Any = ec2_regions.AvailabilityZonesAndRegions
    if getattr(response_cls, _MARK, False):
        return
    response_cls.describe_regions = _respond_describe_regions
    instances_cls: Any = ec2_instances.InstanceResponse
    instances_cls.describe_instances = _lazy_describe_instances(instances_cls.describe_instances)
    if "MOTO_EC2_LOAD_DEFAULT_AMIS" not in os.environ:
        patched: Any = moto_settings
        patched.ec2_load_default_amis = lambda: False
    setattr(response_cls, _MARK, True)
