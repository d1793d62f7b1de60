// Validate a Turtle/N-Triples data file against a folder of SHACL shapes with
// rdf-validate-shacl (Zazuko), a second, independent SHACL engine.
import fs from 'node:fs'
import path from 'node:path'
import { Parser } from 'n3'
import rdf from 'rdf-ext'
import SHACLValidator from 'rdf-validate-shacl'

// rdf-validate-shacl implements SHACL Core only: SPARQL-based constraints are left out.
const SPARQL = 'http://www.w3.org/ns/shacl#sparql'

function load (files) {
  const dataset = rdf.dataset()
  for (const file of files) {
    const quads = new Parser({ baseIRI: 'file://' + file }).parse(fs.readFileSync(file, 'utf8'))
    for (const q of quads) if (q.predicate.value !== SPARQL) dataset.add(rdf.quad(q.subject, q.predicate, q.object))
  }
  return dataset
}

const [shapesDir, ...dataFiles] = process.argv.slice(2)
const shapes = load(fs.readdirSync(shapesDir).filter(f => f.endsWith('.ttl')).map(f => path.join(shapesDir, f)))
const data = load(dataFiles)
const validator = new SHACLValidator(shapes)
const report = await validator.validate(data)
const counts = {}
for (const result of report.results) {
  const key = `${result.severity.value.split('#')[1]} ${result.sourceShape.value}`
  counts[key] = (counts[key] || 0) + 1
}
console.log(JSON.stringify({ conforms: report.conforms, results: report.results.length, counts }, null, 1))
