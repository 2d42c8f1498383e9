#!/usr/bin/env python3
"""Writes a C file holding every YAML case under testcases/ (sorted)."""
import os
import sys

out, root = sys.argv[1], sys.argv[2]
files = []
for d, _, names in os.walk(root):
    for n in names:
        if n.endswith(('.yaml', '.yml')):
            files.append(os.path.join(d, n))
files.sort()
with open(out, 'w') as f:
    f.write('#include "embedded_suite.h"\n\nconst struct embedded_file embedded_suite[] = {\n')
    for p in files:
        data = open(p, 'rb').read()
        rel = 'testcases/' + os.path.relpath(p, root)
        body = ''.join('\\x%02x' % b for b in data)
        f.write('\t{"%s", "%s", %d},\n' % (rel, body, len(data)))
    f.write('};\n\nconst size_t embedded_suite_count = %d;\n' % len(files))
