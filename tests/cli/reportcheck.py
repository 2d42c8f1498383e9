"""Checks shared by the report tests (tests/cli/test_reports.py and
tests/integration/test_run_linux.py): a report against
docs/report-schema.json, with python3-jsonschema when it is installed and
always with the small validator below (the subset of JSON Schema the file
uses), and JUnit XML against tests/data/junit.xsd with xmllint."""
import json
import os
import re
import subprocess

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, '..', '..')
SCHEMA = json.load(open(os.path.join(ROOT, 'docs', 'report-schema.json')))
XSD = os.path.join(ROOT, 'tests', 'data', 'junit.xsd')


def jtype(v):
    if v is None:
        return 'null'
    if isinstance(v, bool):
        return 'boolean'
    if isinstance(v, int):
        return 'integer'
    if isinstance(v, float):
        return 'number'
    if isinstance(v, str):
        return 'string'
    if isinstance(v, list):
        return 'array'
    return 'object'


def validate(v, sch, path='$'):
    if '$ref' in sch:
        return validate(v, SCHEMA['$defs'][sch['$ref'].split('/')[-1]], path)
    errs = []
    for s in sch.get('allOf', []):
        errs += validate(v, s, path)
    if 'if' in sch:
        branch = sch.get('then' if not validate(v, sch['if'], path) else 'else')
        if branch:
            errs += validate(v, branch, path)
    if 'oneOf' in sch:
        ok = [s for s in sch['oneOf'] if not validate(v, s, path)]
        if len(ok) != 1:
            errs.append('%s: matches %d of oneOf' % (path, len(ok)))
    if 'const' in sch and v != sch['const']:
        errs.append('%s: %r != %r' % (path, v, sch['const']))
    if 'enum' in sch and v not in sch['enum']:
        errs.append('%s: %r not in %r' % (path, v, sch['enum']))
    if 'type' in sch:
        want = sch['type'] if isinstance(sch['type'], list) else [sch['type']]
        t = jtype(v)
        if t not in want and not (t == 'integer' and 'number' in want):
            return errs + ['%s: %s is %s, expected %s' % (path, json.dumps(v)[:40], t, want)]
    if isinstance(v, str) and 'pattern' in sch and not re.search(sch['pattern'], v):
        errs.append('%s: %r does not match %s' % (path, v, sch['pattern']))
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        if 'minimum' in sch and v < sch['minimum']:
            errs.append('%s: %r < %r' % (path, v, sch['minimum']))
        if 'maximum' in sch and v > sch['maximum']:
            errs.append('%s: %r > %r' % (path, v, sch['maximum']))
    if isinstance(v, dict):
        for k in sch.get('required', []):
            if k not in v:
                errs.append('%s: missing %s' % (path, k))
        props = sch.get('properties', {})
        for k, x in v.items():
            if k in props:
                errs += validate(x, props[k], path + '.' + k)
            elif isinstance(sch.get('additionalProperties'), dict):
                errs += validate(x, sch['additionalProperties'], path + '.' + k)
            elif sch.get('additionalProperties') is False:
                errs.append('%s: field %s is not in the schema' % (path, k))
    if isinstance(v, list):
        if 'minItems' in sch and len(v) < sch['minItems']:
            errs.append('%s: fewer than %d items' % (path, sch['minItems']))
        if 'maxItems' in sch and len(v) > sch['maxItems']:
            errs.append('%s: more than %d items' % (path, sch['maxItems']))
        if 'items' in sch:
            for i, x in enumerate(v):
                errs += validate(x, sch['items'], '%s[%d]' % (path, i))
    return errs


try:
    import jsonschema
    VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
except ImportError:
    VALIDATOR = None
    print('python3-jsonschema not installed: the small validator only')


def schema_errors(doc):
    errs = validate(doc, SCHEMA)
    if VALIDATOR is not None:
        errs += ['jsonschema: %s: %s' % (e.json_path, e.message[:200])
                 for e in VALIDATOR.iter_errors(doc)]
    return errs


def junit_errors(path):
    """xmllint's complaints about path against tests/data/junit.xsd ('' when valid)."""
    p = subprocess.run(['xmllint', '--noout', '--schema', XSD, path], capture_output=True, text=True)
    return '' if p.returncode == 0 else (p.stderr or 'xmllint exit %d' % p.returncode)
