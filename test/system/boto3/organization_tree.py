"""Drives the emulator's Organizations roots, OUs, moves and tags with boto3, as a user's script would, and prints
what it saw as JSON for test/system/boto3.test.ts to check. Usage: python3 organization_tree.py <endpoint>."""
import json
import sys

import boto3
from botocore.exceptions import ClientError

endpoint = sys.argv[1]
org = boto3.client(
    "organizations",
    endpoint_url=endpoint,
    region_name="us-east-1",
    aws_access_key_id="test",
    aws_secret_access_key="test",
)
seen = {}


def error_code(call, **kwargs):
    try:
        call(**kwargs)
    except ClientError as error:
        return error.response["Error"]["Code"]
    return None


root = org.list_roots()["Roots"][0]
seen["root"] = {"Id": root["Id"], "Name": root["Name"]}
units = []
for page in org.get_paginator("list_organizational_units_for_parent").paginate(ParentId=root["Id"]):
    units.extend(page["OrganizationalUnits"])
seen["topLevelUnits"] = [unit["Name"] for unit in units]

accounts = []
for page in org.get_paginator("list_accounts_for_parent").paginate(ParentId=root["Id"], PaginationConfig={"PageSize": 2}):
    accounts.extend(page["Accounts"])
seen["accountsUnderRoot"] = [account["Id"] for account in accounts]

made = org.create_organizational_unit(ParentId=root["Id"], Name="boto3-made", Tags=[{"Key": "team", "Value": "maps"}])
unit_id = made["OrganizationalUnit"]["Id"]
seen["createdUnitId"] = unit_id
account_id = accounts[0]["Id"]
org.move_account(AccountId=account_id, SourceParentId=root["Id"], DestinationParentId=unit_id)
seen["parentsAfterMove"] = org.list_parents(ChildId=account_id)["Parents"]
seen["notEmpty"] = error_code(org.delete_organizational_unit, OrganizationalUnitId=unit_id)
org.move_account(AccountId=account_id, SourceParentId=unit_id, DestinationParentId=root["Id"])
org.tag_resource(ResourceId=account_id, Tags=[{"Key": "cost-center", "Value": "cc-1234"}])
seen["accountTags"] = org.list_tags_for_resource(ResourceId=account_id)["Tags"]
seen["unitTags"] = org.list_tags_for_resource(ResourceId=unit_id)["Tags"]
org.untag_resource(ResourceId=unit_id, TagKeys=["team"])
org.delete_organizational_unit(OrganizationalUnitId=unit_id)

seen["errors"] = {
    "malformedParent": error_code(org.list_children, ParentId="ou-bad", ChildType="ACCOUNT"),
    "unknownParent": error_code(org.list_organizational_units_for_parent, ParentId="r-zzzz"),
    "unknownChild": error_code(org.list_parents, ChildId="999999999999"),
    "duplicateName": error_code(org.create_organizational_unit, ParentId=root["Id"], Name=units[0]["Name"]),
    "unknownUnit": error_code(org.describe_organizational_unit, OrganizationalUnitId=unit_id),
    "unknownTarget": error_code(org.list_tags_for_resource, ResourceId="999999999999"),
    "malformedTagKey": error_code(org.tag_resource, ResourceId=root["Id"], Tags=[{"Key": "bad#key", "Value": "x"}]),
    "unknownSource": error_code(
        org.move_account, AccountId=account_id, SourceParentId="ou-zzzz-zzzzzzzz", DestinationParentId=root["Id"]
    ),
}
print(json.dumps(seen))
