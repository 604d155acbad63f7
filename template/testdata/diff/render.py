"""Renders every template of the differential corpus with Tornado.

Usage: python3 render.py DIR
Prints a JSON object: template name -> {"out": text} or {"error": text}.
Templates whose names start with "_" or live under partials/ or layouts/
are only included or extended, not rendered on their own.
"""
import json
import os
import sys

import tornado.template

root = sys.argv[1]
with open(os.path.join(root, "vars.json")) as f:
    variables = json.load(f)
loader = tornado.template.Loader(root)
results = {}
for name in sorted(os.listdir(root)):
    if not (name.endswith(".html") or name.endswith(".txt") or name.endswith(".xml") or name.endswith(".js")):
        continue
    if name.startswith("_"):
        continue
    try:
        out = loader.load(name).generate(**variables)
        results[name] = {"out": out.decode("utf-8")}
    except Exception as e:
        results[name] = {"error": "%s: %s" % (type(e).__name__, e)}
json.dump(results, sys.stdout, sort_keys=True)
