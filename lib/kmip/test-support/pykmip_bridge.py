#!/usr/bin/python3
"""PyKMIP as a second opinion for the lab's KMIP codec (lib/kmip), driven by the Vitest tests.

Reads one JSON list of jobs on stdin and writes one JSON list of answers on stdout, so a whole test file costs one
Python start. Each job is one of:
  {"job": "decode-request"  | "decode-response", "hex": "..."}  -> {"ok": true, "fields": {...}}
  {"job": "encode-request"  | "encode-response", "fields": {...}} -> {"ok": true, "hex": "..."}
  {"job": "tags"}  -> {"ok": true, "tags": {"UNIQUE_IDENTIFIER": 4325524, ...}}
A job PyKMIP refuses answers {"ok": false, "error": "..."}.

"fields" is the neutral form both sides agree on (lib/kmip/test-support/neutral.ts writes the lab's side): enumerations
as their numeric values, byte strings as hex, dates as seconds, protocol versions as "major.minor".
"""
import binascii
import enum
import json
import sys
import traceback

from kmip.core import attributes as kattrs
from kmip.core import enums
from kmip.core import objects
from kmip.core import primitives
from kmip.core import secrets
from kmip.core import utils
from kmip.core.factories.attributes import AttributeFactory
from kmip.core.messages import contents
from kmip.core.messages import messages
from kmip.core.messages import payloads

ATTRIBUTES = AttributeFactory()


def plain(x):
    """Unwraps PyKMIP's wrappers down to ints, strings and bytes."""
    while True:
        if isinstance(x, enum.Enum):
            return x.value
        if isinstance(x, (primitives.Base,)) and hasattr(x, "value"):
            x = x.value
            continue
        return x


def version_text(v):
    return "{0}.{1}".format(plain(v.major), plain(v.minor))


def version_object(text):
    major, minor = text.split(".")
    return contents.ProtocolVersion(int(major), int(minor))


# ---- PyKMIP objects -> neutral fields ----

def attribute_fields(a):
    name = plain(a.attribute_name)
    out = {"name": name}
    if a.attribute_index is not None:
        out["index"] = plain(a.attribute_index)
    v = a.attribute_value
    if name == "Name":
        out["value"] = {"value": plain(v.name_value), "type": plain(v.name_type)}
    else:
        out["value"] = plain(v)
    return out


def request_payload_fields(op, p):
    if op == enums.Operation.DISCOVER_VERSIONS:
        return {"protocolVersions": [version_text(v) for v in p.protocol_versions]}
    if op == enums.Operation.QUERY:
        return {"queryFunctions": [plain(q) for q in p.query_functions]}
    if op == enums.Operation.CREATE:
        return {
            "objectType": plain(p.object_type),
            "attributes": [attribute_fields(a) for a in p.template_attribute.attributes],
        }
    if op in (enums.Operation.ACTIVATE, enums.Operation.DESTROY):
        return {"uniqueIdentifier": plain(p.unique_identifier)}
    if op == enums.Operation.GET:
        out = {"uniqueIdentifier": plain(p.unique_identifier)}
        if p.key_format_type is not None:
            out["keyFormatType"] = plain(p.key_format_type)
        return out
    if op == enums.Operation.GET_ATTRIBUTES:
        return {"uniqueIdentifier": plain(p.unique_identifier), "attributeNames": list(p.attribute_names)}
    if op == enums.Operation.LOCATE:
        out = {"attributes": [attribute_fields(a) for a in p.attributes]}
        if p.maximum_items is not None:
            out["maximumItems"] = p.maximum_items
        return out
    if op == enums.Operation.REVOKE:
        out = {
            "uniqueIdentifier": plain(p.unique_identifier),
            "revocationReasonCode": plain(p.revocation_reason.revocation_code),
        }
        if p.revocation_reason.revocation_message is not None:
            out["revocationMessage"] = plain(p.revocation_reason.revocation_message)
        if p.compromise_occurrence_date is not None:
            out["compromiseOccurrenceDate"] = plain(p.compromise_occurrence_date)
        return out
    raise ValueError("no neutral form for request operation {0}".format(op))


def response_payload_fields(op, p):
    if op == enums.Operation.DISCOVER_VERSIONS:
        return {"protocolVersions": [version_text(v) for v in p.protocol_versions]}
    if op == enums.Operation.QUERY:
        out = {
            "operations": [plain(o) for o in (p.operations or [])],
            "objectTypes": [plain(o) for o in (p.object_types or [])],
        }
        if p.vendor_identification is not None:
            out["vendorIdentification"] = p.vendor_identification
        return out
    if op == enums.Operation.CREATE:
        return {"objectType": plain(p.object_type), "uniqueIdentifier": plain(p.unique_identifier)}
    if op in (enums.Operation.ACTIVATE, enums.Operation.REVOKE, enums.Operation.DESTROY):
        return {"uniqueIdentifier": plain(p.unique_identifier)}
    if op == enums.Operation.GET:
        block = p.secret.key_block
        out = {
            "objectType": plain(p.object_type),
            "uniqueIdentifier": plain(p.unique_identifier),
            "keyFormatType": plain(block.key_format_type.value),
            "keyMaterial": binascii.hexlify(bytes(plain(block.key_value.key_material))).decode(),
        }
        if block.cryptographic_algorithm is not None:
            out["cryptographicAlgorithm"] = plain(block.cryptographic_algorithm)
        if block.cryptographic_length is not None:
            out["cryptographicLength"] = plain(block.cryptographic_length)
        return out
    if op == enums.Operation.GET_ATTRIBUTES:
        return {
            "uniqueIdentifier": plain(p.unique_identifier),
            "attributes": [attribute_fields(a) for a in p.attributes],
        }
    if op == enums.Operation.LOCATE:
        return {"uniqueIdentifiers": [plain(u) for u in p.unique_identifiers]}
    raise ValueError("no neutral form for response operation {0}".format(op))


def decode_request(data):
    m = messages.RequestMessage()
    m.read(utils.BytearrayStream(data))
    h = m.request_header
    out = {"protocolVersion": version_text(h.protocol_version), "batchCount": plain(h.batch_count), "items": []}
    if h.time_stamp is not None:
        out["timeStamp"] = plain(h.time_stamp)
    if h.maximum_response_size is not None:
        out["maximumResponseSize"] = plain(h.maximum_response_size)
    for item in m.batch_items:
        op = plain(item.operation)
        entry = {"operation": op, "payload": request_payload_fields(enums.Operation(op), item.request_payload)}
        if item.unique_batch_item_id is not None:
            entry["uniqueBatchItemId"] = binascii.hexlify(bytes(plain(item.unique_batch_item_id))).decode()
        out["items"].append(entry)
    return out


def decode_response(data):
    m = messages.ResponseMessage()
    m.read(utils.BytearrayStream(data))
    h = m.response_header
    out = {
        "protocolVersion": version_text(h.protocol_version),
        "timeStamp": plain(h.time_stamp),
        "batchCount": plain(h.batch_count),
        "items": [],
    }
    for item in m.batch_items:
        entry = {"resultStatus": plain(item.result_status)}
        if item.operation is not None:
            entry["operation"] = plain(item.operation)
        if item.unique_batch_item_id is not None:
            entry["uniqueBatchItemId"] = binascii.hexlify(bytes(plain(item.unique_batch_item_id))).decode()
        if item.result_reason is not None:
            entry["resultReason"] = plain(item.result_reason)
        if item.result_message is not None:
            entry["resultMessage"] = plain(item.result_message)
        if item.response_payload is not None and item.operation is not None:
            entry["payload"] = response_payload_fields(enums.Operation(plain(item.operation)), item.response_payload)
        out["items"].append(entry)
    return out


# ---- neutral fields -> PyKMIP objects ----

def attribute_object(a):
    kind = enums.AttributeType(a["name"])
    value = a["value"]
    if kind == enums.AttributeType.NAME:
        value = kattrs.Name.create(value["value"], enums.NameType(value["type"]))
    elif kind == enums.AttributeType.CRYPTOGRAPHIC_USAGE_MASK:
        value = [m for m in enums.CryptographicUsageMask if m.value & value]
    elif kind == enums.AttributeType.CRYPTOGRAPHIC_ALGORITHM:
        value = enums.CryptographicAlgorithm(value)
    elif kind == enums.AttributeType.OBJECT_TYPE:
        value = enums.ObjectType(value)
    elif kind == enums.AttributeType.STATE:
        value = enums.State(value)
    return ATTRIBUTES.create_attribute(kind, value, a.get("index"))


def request_payload_object(op, f):
    if op == enums.Operation.DISCOVER_VERSIONS:
        return payloads.DiscoverVersionsRequestPayload([version_object(v) for v in f["protocolVersions"]])
    if op == enums.Operation.QUERY:
        return payloads.QueryRequestPayload([enums.QueryFunction(q) for q in f["queryFunctions"]])
    if op == enums.Operation.CREATE:
        return payloads.CreateRequestPayload(
            object_type=enums.ObjectType(f["objectType"]),
            template_attribute=objects.TemplateAttribute(attributes=[attribute_object(a) for a in f["attributes"]]),
        )
    if op == enums.Operation.ACTIVATE:
        return payloads.ActivateRequestPayload(kattrs.UniqueIdentifier(f["uniqueIdentifier"]))
    if op == enums.Operation.DESTROY:
        return payloads.DestroyRequestPayload(kattrs.UniqueIdentifier(f["uniqueIdentifier"]))
    if op == enums.Operation.GET:
        kft = f.get("keyFormatType")
        return payloads.GetRequestPayload(
            unique_identifier=f["uniqueIdentifier"],
            key_format_type=enums.KeyFormatType(kft) if kft is not None else None,
        )
    if op == enums.Operation.GET_ATTRIBUTES:
        return payloads.GetAttributesRequestPayload(f["uniqueIdentifier"], f["attributeNames"])
    if op == enums.Operation.LOCATE:
        return payloads.LocateRequestPayload(
            maximum_items=f.get("maximumItems"), attributes=[attribute_object(a) for a in f["attributes"]]
        )
    if op == enums.Operation.REVOKE:
        reason = objects.RevocationReason(
            code=enums.RevocationReasonCode(f["revocationReasonCode"]), message=f.get("revocationMessage")
        )
        date = f.get("compromiseOccurrenceDate")
        return payloads.RevokeRequestPayload(
            unique_identifier=kattrs.UniqueIdentifier(f["uniqueIdentifier"]),
            revocation_reason=reason,
            compromise_occurrence_date=primitives.DateTime(date, enums.Tags.COMPROMISE_OCCURRENCE_DATE)
            if date is not None
            else None,
        )
    raise ValueError("cannot build a request payload for {0}".format(op))


def response_payload_object(op, f):
    if op == enums.Operation.DISCOVER_VERSIONS:
        return payloads.DiscoverVersionsResponsePayload([version_object(v) for v in f["protocolVersions"]])
    if op == enums.Operation.QUERY:
        return payloads.QueryResponsePayload(
            operations=[enums.Operation(o) for o in f["operations"]],
            object_types=[enums.ObjectType(o) for o in f["objectTypes"]],
            vendor_identification=f.get("vendorIdentification"),
        )
    if op == enums.Operation.CREATE:
        return payloads.CreateResponsePayload(
            object_type=enums.ObjectType(f["objectType"]), unique_identifier=f["uniqueIdentifier"]
        )
    if op == enums.Operation.ACTIVATE:
        return payloads.ActivateResponsePayload(kattrs.UniqueIdentifier(f["uniqueIdentifier"]))
    if op == enums.Operation.REVOKE:
        return payloads.RevokeResponsePayload(kattrs.UniqueIdentifier(f["uniqueIdentifier"]))
    if op == enums.Operation.DESTROY:
        return payloads.DestroyResponsePayload(kattrs.UniqueIdentifier(f["uniqueIdentifier"]))
    if op == enums.Operation.GET:
        block = objects.KeyBlock(
            key_format_type=objects.KeyFormatType(enums.KeyFormatType(f["keyFormatType"])),
            key_value=objects.KeyValue(objects.KeyMaterial(binascii.unhexlify(f["keyMaterial"]))),
            cryptographic_algorithm=kattrs.CryptographicAlgorithm(
                enums.CryptographicAlgorithm(f["cryptographicAlgorithm"])
            )
            if "cryptographicAlgorithm" in f
            else None,
            cryptographic_length=kattrs.CryptographicLength(f["cryptographicLength"])
            if "cryptographicLength" in f
            else None,
        )
        return payloads.GetResponsePayload(
            object_type=enums.ObjectType(f["objectType"]),
            unique_identifier=f["uniqueIdentifier"],
            secret=secrets.SymmetricKey(block),
        )
    if op == enums.Operation.GET_ATTRIBUTES:
        return payloads.GetAttributesResponsePayload(
            unique_identifier=f["uniqueIdentifier"], attributes=[attribute_object(a) for a in f["attributes"]]
        )
    if op == enums.Operation.LOCATE:
        return payloads.LocateResponsePayload(unique_identifiers=f["uniqueIdentifiers"])
    raise ValueError("cannot build a response payload for {0}".format(op))


def batch_id(item):
    if "uniqueBatchItemId" not in item:
        return None
    return contents.UniqueBatchItemID(binascii.unhexlify(item["uniqueBatchItemId"]))


def to_hex(message):
    stream = utils.BytearrayStream()
    message.write(stream)
    return binascii.hexlify(stream.buffer).decode()


def encode_request(f):
    header = messages.RequestHeader(
        protocol_version=version_object(f["protocolVersion"]),
        time_stamp=contents.TimeStamp(f["timeStamp"]) if "timeStamp" in f else None,
        batch_count=contents.BatchCount(len(f["items"])),
    )
    items = []
    for item in f["items"]:
        op = enums.Operation(item["operation"])
        items.append(
            messages.RequestBatchItem(
                operation=contents.Operation(op),
                unique_batch_item_id=batch_id(item),
                request_payload=request_payload_object(op, item["payload"]),
            )
        )
    return to_hex(messages.RequestMessage(request_header=header, batch_items=items))


def encode_response(f):
    header = messages.ResponseHeader(
        protocol_version=version_object(f["protocolVersion"]),
        time_stamp=contents.TimeStamp(f["timeStamp"]),
        batch_count=contents.BatchCount(len(f["items"])),
    )
    items = []
    for item in f["items"]:
        op = enums.Operation(item["operation"]) if "operation" in item else None
        items.append(
            messages.ResponseBatchItem(
                operation=contents.Operation(op) if op is not None else None,
                unique_batch_item_id=batch_id(item),
                result_status=contents.ResultStatus(enums.ResultStatus(item["resultStatus"])),
                result_reason=contents.ResultReason(enums.ResultReason(item["resultReason"]))
                if "resultReason" in item
                else None,
                result_message=contents.ResultMessage(item["resultMessage"]) if "resultMessage" in item else None,
                response_payload=response_payload_object(op, item["payload"]) if "payload" in item else None,
            )
        )
    return to_hex(messages.ResponseMessage(response_header=header, batch_items=items))


def run(job):
    kind = job["job"]
    if kind == "decode-request":
        return {"fields": decode_request(binascii.unhexlify(job["hex"]))}
    if kind == "decode-response":
        return {"fields": decode_response(binascii.unhexlify(job["hex"]))}
    if kind == "encode-request":
        return {"hex": encode_request(job["fields"])}
    if kind == "encode-response":
        return {"hex": encode_response(job["fields"])}
    if kind == "tags":
        return {"tags": {t.name: t.value for t in enums.Tags}}
    raise ValueError("unknown job {0}".format(kind))


def main():
    answers = []
    for job in json.load(sys.stdin):
        try:
            answers.append(dict(ok=True, **run(job)))
        except Exception as e:  # a refusal is an answer, not a crash of the whole batch
            answers.append({"ok": False, "error": "{0}: {1}".format(type(e).__name__, e),
                            "trace": traceback.format_exc(limit=3)})
    json.dump(answers, sys.stdout)


if __name__ == "__main__":
    main()
