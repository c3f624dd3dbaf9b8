"""The OpenAPI 3.1 document of every registered method, built from the registry alone."""

from __future__ import annotations

from typing import Any

from pybilling import __version__
from pybilling.api.registry import registry
from pybilling.modules import load_modules

ENVELOPE = {
    "type": "object",
    "required": ["result", "error"],
    "properties": {
        "result": {},
        "error": {
            "oneOf": [
                {"type": "null"},
                {
                    "type": "object",
                    "properties": {"message": {"type": "string"}, "code": {"type": "integer"}},
                    "required": ["message", "code"],
                },
            ]
        },
    },
}


def openapi_document() -> dict[str, Any]:
    load_modules()
    paths: dict[str, Any] = {}
    schemas: dict[str, Any] = {"Envelope": ENVELOPE}
    for (role, module, action), method in sorted(registry.methods.items()):
        schema = method.params.model_json_schema(ref_template="#/components/schemas/{model}")
        for name, sub in schema.pop("$defs", {}).items():
            schemas.setdefault(name, sub)
        required = [name for name, _ in method.required]
        if required:
            schema["required"] = sorted(set(schema.get("required", [])) | set(required))
        schema_name = f"{role}_{module}_{action}"
        schemas[schema_name] = schema
        ref = {"$ref": f"#/components/schemas/{schema_name}"}
        description = method.summary
        if method.permission:
            description += f"\n\nStaff permission: `{method.permission}`."
        operation: dict[str, Any] = {
            "tags": [module],
            "summary": method.summary or f"{module} {action}",
            "description": description.strip(),
            "responses": {
                "200": {
                    "description": "The envelope; errors carry FOSSBilling's codes",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Envelope"}}},
                }
            },
        }
        if role != "guest":
            operation["security"] = [{"basic": []}, {"session": []}]
        paths[f"/api/{role}/{module}/{action}"] = {
            "get": {**operation, "operationId": f"get_{schema_name}"},
            "post": {
                **operation,
                "operationId": f"post_{schema_name}",
                "requestBody": {
                    "content": {
                        "application/json": {"schema": ref},
                        "application/x-www-form-urlencoded": {"schema": ref},
                    }
                },
            },
        }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "PyBilling API",
            "version": __version__,
            "description": "FOSSBilling-compatible API: `/api/{admin|client|guest}/{module}/{action}`.",
        },
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                "basic": {"type": "http", "scheme": "basic", "description": "`admin:KEY` or `client:KEY`"},
                "session": {"type": "apiKey", "in": "cookie", "name": "pybilling_session"},
            },
        },
    }


DOCS_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>PyBilling API</title>
<style>
body{font-family:system-ui,sans-serif;margin:2rem;max-width:70rem}
h2{border-bottom:1px solid #ccc;margin-top:2rem}
details{margin:.3rem 0}summary{cursor:pointer;font-family:monospace}
table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:.2rem .5rem;text-align:left}
.req{color:#a00}
</style></head>
<body><h1>PyBilling API</h1>
<p>Every method answers <code>GET</code> and <code>POST</code> at <code>/api/{role}/{module}/{action}</code>
with <code>{"result": …, "error": null}</code>. The machine-readable document is
<a href="/api/openapi.json">/api/openapi.json</a>.</p>
<input id="filter" placeholder="filter, e.g. client/get" size="40">
<div id="out">Loading…</div>
<script>
fetch('/api/openapi.json').then(r => r.json()).then(doc => {
  const out = document.getElementById('out');
  const render = (q) => {
    const groups = {};
    for (const [path, item] of Object.entries(doc.paths)) {
      if (q && !path.includes(q)) continue;
      const tag = item.get.tags[0];
      (groups[tag] = groups[tag] || []).push([path, item]);
    }
    out.replaceChildren();
    for (const tag of Object.keys(groups).sort()) {
      const h = document.createElement('h2'); h.textContent = tag; out.append(h);
      for (const [path, item] of groups[tag]) {
        const d = document.createElement('details');
        const s = document.createElement('summary'); s.textContent = path; d.append(s);
        const p = document.createElement('p'); p.textContent = item.get.description || ''; d.append(p);
        const name = item.post.requestBody.content['application/json'].schema.$ref.split('/').pop();
        const schema = doc.components.schemas[name] || {};
        const req = new Set(schema.required || []);
        const t = document.createElement('table');
        t.innerHTML = '<tr><th>parameter</th><th>type</th></tr>';
        for (const [pname, prop] of Object.entries(schema.properties || {})) {
          const tr = document.createElement('tr');
          const a = document.createElement('td'); a.textContent = pname + (req.has(pname) ? ' *' : '');
          if (req.has(pname)) a.className = 'req';
          const b = document.createElement('td');
          b.textContent = prop.type || (prop.anyOf || []).map(x => x.type).filter(Boolean).join(' | ') || 'any';
          tr.append(a, b); t.append(tr);
        }
        d.append(t); out.append(d);
      }
    }
  };
  render('');
  document.getElementById('filter').addEventListener('input', e => render(e.target.value));
});
</script></body></html>
"""
