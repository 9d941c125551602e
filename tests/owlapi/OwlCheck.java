// Loads an ontology the way Protégé does (OWL API 4.5.29) and checks what Protégé users would:
// every triple parsed into an axiom, the OWL 2 DL profile, and a HermiT reasoner's verdict.
// Run: java -cp '.cache/owlapi/lib/*' tests/owlapi/OwlCheck.java ontology/pharmakg.owl.ttl
// Prints one "key value" line per fact; exits 1 when the ontology fails a check.

import java.io.File;
import org.semanticweb.HermiT.ReasonerFactory;
import org.semanticweb.owlapi.apibinding.OWLManager;
import org.semanticweb.owlapi.formats.RDFDocumentFormat;
import org.semanticweb.owlapi.io.RDFParserMetaData;
import org.semanticweb.owlapi.model.OWLDocumentFormat;
import org.semanticweb.owlapi.model.OWLOntology;
import org.semanticweb.owlapi.model.OWLOntologyManager;
import org.semanticweb.owlapi.profiles.OWL2DLProfile;
import org.semanticweb.owlapi.profiles.OWLProfileReport;
import org.semanticweb.owlapi.profiles.OWLProfileViolation;
import org.semanticweb.owlapi.reasoner.OWLReasoner;

public class OwlCheck {
    public static void main(String[] args) throws Exception {
        OWLOntologyManager manager = OWLManager.createOWLOntologyManager();
        OWLOntology ontology = manager.loadOntologyFromOntologyDocument(new File(args[0]));
        OWLDocumentFormat format = manager.getOntologyFormat(ontology);
        System.out.println("format " + format.getKey());
        System.out.println("iri " + ontology.getOntologyID().getOntologyIRI().orNull());
        System.out.println("axioms " + ontology.getAxiomCount());
        System.out.println("classes " + ontology.getClassesInSignature().size());
        System.out.println("object_properties " + ontology.getObjectPropertiesInSignature().size());
        System.out.println("data_properties " + ontology.getDataPropertiesInSignature().size());
        int unparsed = 0;
        if (format instanceof RDFDocumentFormat
                && format.getOntologyLoaderMetaData() instanceof RDFParserMetaData) {
            RDFParserMetaData loaded = (RDFParserMetaData) format.getOntologyLoaderMetaData();
            unparsed = loaded.getUnparsedTriples().size();
            loaded.getUnparsedTriples().forEach(t -> System.out.println("unparsed_triple " + t));
        }
        System.out.println("unparsed " + unparsed);
        OWLProfileReport report = new OWL2DLProfile().checkOntology(ontology);
        for (OWLProfileViolation violation : report.getViolations()) {
            System.out.println("violation " + violation.toString().replace('\n', ' '));
        }
        System.out.println("owl2_dl " + report.isInProfile());
        OWLReasoner reasoner = new ReasonerFactory().createReasoner(ontology);
        boolean consistent = reasoner.isConsistent();
        System.out.println("consistent " + consistent);
        int unsatisfiable = consistent
            ? reasoner.getUnsatisfiableClasses().getEntitiesMinusBottom().size() : -1;
        System.out.println("unsatisfiable " + unsatisfiable);
        reasoner.dispose();
        boolean ok = unparsed == 0 && report.isInProfile() && consistent && unsatisfiable == 0;
        System.exit(ok ? 0 : 1);
    }
}
