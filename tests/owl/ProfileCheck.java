// OWL 2 DL profile check with OWLAPI 5 (tests/test_owl_profile.py runs it).
//
// Usage: java -cp <OWLAPI classpath> ProfileCheck.java [--map IRI=FILE ...] FILE
//
// Loads FILE as an ontology, offline: every owl:imports must be mapped to a local file with
// --map (the default mappers, which would fetch from the web, are removed, and an unmapped
// import is an error, never a download). Then runs OWLAPI's OWL2DLProfile over the imports
// closure and prints one line per violation:
//
//     VIOLATION<TAB><violation class><TAB><what OWLAPI says>
//
// followed by "violations: N". Exit status: 0 when the ontology is in OWL 2 DL, 1 when it
// has violations, 2 when it could not be loaded or the arguments are wrong.

import java.io.File;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.semanticweb.owlapi.apibinding.OWLManager;
import org.semanticweb.owlapi.io.FileDocumentSource;
import org.semanticweb.owlapi.model.IRI;
import org.semanticweb.owlapi.model.MissingImportHandlingStrategy;
import org.semanticweb.owlapi.model.OWLOntology;
import org.semanticweb.owlapi.model.OWLOntologyIRIMapper;
import org.semanticweb.owlapi.model.OWLOntologyLoaderConfiguration;
import org.semanticweb.owlapi.model.OWLOntologyManager;
import org.semanticweb.owlapi.profiles.OWL2DLProfile;
import org.semanticweb.owlapi.profiles.OWLProfileReport;
import org.semanticweb.owlapi.profiles.OWLProfileViolation;

public class ProfileCheck {
    public static void main(String[] args) {
        Map<IRI, IRI> mapped = new HashMap<>();
        List<String> files = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--map") && i + 1 < args.length) {
                String[] pair = args[++i].split("=", 2);
                if (pair.length != 2) {
                    usage("--map needs IRI=FILE, got " + args[i]);
                }
                mapped.put(IRI.create(pair[0]), IRI.create(new File(pair[1]).getAbsoluteFile()));
            } else {
                files.add(args[i]);
            }
        }
        if (files.size() != 1) {
            usage("give exactly one ontology file");
        }
        File file = new File(files.get(0));
        if (!file.isFile()) {
            usage("no such file: " + file);
        }

        OWLOntologyManager manager = OWLManager.createOWLOntologyManager();
        List<IRI> unmapped = new ArrayList<>();
        OWLOntologyIRIMapper offline = ontologyIRI -> {
            IRI local = mapped.get(ontologyIRI);
            if (local != null) {
                return local;
            }
            // Never fall back to the web: point at a file that cannot exist, so loading fails.
            unmapped.add(ontologyIRI);
            return IRI.create(new File("/nonexistent/offline-only/unmapped-import").toURI());
        };
        manager.getIRIMappers().clear();
        manager.getIRIMappers().add(offline);
        OWLOntologyLoaderConfiguration config = manager.getOntologyLoaderConfiguration()
            .setMissingImportHandlingStrategy(MissingImportHandlingStrategy.THROW_EXCEPTION)
            .setStrict(false);

        OWLOntology ontology;
        try {
            ontology = manager.loadOntologyFromOntologyDocument(new FileDocumentSource(file), config);
        } catch (Exception e) {
            System.err.println("error: could not load " + file + ": " + e.getClass().getSimpleName() + ": " + e.getMessage());
            for (IRI iri : unmapped) {
                System.err.println("error: owl:imports " + iri + " is not mapped to a local file (--map IRI=FILE)");
            }
            System.exit(2);
            return;
        }
        if (!unmapped.isEmpty()) {
            for (IRI iri : unmapped) {
                System.err.println("error: owl:imports " + iri + " is not mapped to a local file (--map IRI=FILE)");
            }
            System.exit(2);
        }

        OWLProfileReport report = new OWL2DLProfile().checkOntology(ontology);
        // sorted, so the same ontology always prints the same lines
        TreeSet<String> lines = new TreeSet<>();
        for (OWLProfileViolation violation : report.getViolations()) {
            String text = violation.toString().replace('\n', ' ').replace('\t', ' ').trim();
            lines.add("VIOLATION\t" + violation.getClass().getSimpleName() + "\t" + text);
        }
        for (String line : lines) {
            System.out.println(line);
        }
        System.out.println("violations: " + report.getViolations().size());
        System.exit(report.getViolations().isEmpty() ? 0 : 1);
    }

    private static void usage(String message) {
        System.err.println("error: " + message);
        System.err.println("usage: java -cp <OWLAPI classpath> ProfileCheck.java [--map IRI=FILE ...] FILE");
        System.exit(2);
    }
}
