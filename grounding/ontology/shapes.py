"""SHACL shapes (run with pyshacl) for the project's ontology conventions.

Violations (exit status 1 in `grounding ontology validate`):
  * class-labelled: every named OWL/RDFS class has an rdfs:label or skos:prefLabel;
  * no-dangling-reference: every class, property or filler named by rdfs:subClassOf,
    owl:equivalentClass, owl:disjointWith, restrictions (onProperty, some/allValuesFrom,
    onClass), rdfs:domain/range, skos:broader, rdfs:subPropertyOf or owl:inverseOf is declared
    (has an rdf:type or a label) in the loaded graph; W3C vocabularies are exempt;
  * no-subclass-cycle: no class is its own strict ancestor.
Warnings: a class without an English (or untagged) label; a project class (in the configured
base namespace) without a definition or without a Korean label.

The shapes use SHACL Core wherever possible (pyshacl evaluates Core natively and fast) and
SHACL-SPARQL only for the cycle check, run once over the whole graph. The fourth convention,
"no label shared by two concepts", is checked in Python by `validate.py` (case-insensitively and
after the linker's plural/hyphen normalization, which SPARQL cannot express).

`{base}` is replaced by the project namespace (config ontology.base_namespace).
"""

SHAPES_TTL = """
@prefix sh:   <http://www.w3.org/ns/shacl#> .
@prefix owl:  <http://www.w3.org/2002/07/owl#> .
@prefix rdf:  <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd:  <http://www.w3.org/2001/XMLSchema#> .
@prefix gv:   <https://w3id.org/grounding/validation#> .

gv:prefixes
    sh:declare [ sh:prefix "owl" ; sh:namespace "http://www.w3.org/2002/07/owl#"^^xsd:anyURI ] ,
               [ sh:prefix "rdf" ; sh:namespace "http://www.w3.org/1999/02/22-rdf-syntax-ns#"^^xsd:anyURI ] ,
               [ sh:prefix "rdfs" ; sh:namespace "http://www.w3.org/2000/01/rdf-schema#"^^xsd:anyURI ] ,
               [ sh:prefix "skos" ; sh:namespace "http://www.w3.org/2004/02/skos/core#"^^xsd:anyURI ] .

gv:NamedClass a sh:NodeShape ;
    sh:targetClass owl:Class , rdfs:Class ;
    sh:or ( [ sh:nodeKind sh:BlankNode ] [ sh:node gv:LabelledClass ] ) ;
    sh:severity sh:Violation ;
    gv:rule "class-labelled" ;
    sh:message "class has no rdfs:label or skos:prefLabel" .

gv:LabelledClass a sh:NodeShape ;
    sh:property [ sh:path [ sh:alternativePath ( rdfs:label skos:prefLabel ) ] ; sh:minCount 1 ] .

gv:EnglishLabel a sh:NodeShape ;
    sh:targetClass owl:Class , rdfs:Class ;
    sh:or ( [ sh:nodeKind sh:BlankNode ]
            [ sh:property [ sh:path [ sh:alternativePath ( rdfs:label skos:prefLabel ) ] ; sh:maxCount 0 ] ]
            [ sh:property [ sh:path [ sh:alternativePath ( rdfs:label skos:prefLabel ) ] ;
                            sh:qualifiedValueShape [ sh:or ( [ sh:languageIn ( "en" ) ] [ sh:datatype xsd:string ] ) ] ;
                            sh:qualifiedMinCount 1 ] ] ) ;
    sh:severity sh:Warning ;
    gv:rule "english-label" ;
    sh:message "class has labels but none in English (@en or untagged)" .

# A referenced term is declared: typed or labelled, or a W3C built-in (owl:Thing, xsd:string ...).
gv:Declared a sh:NodeShape ;
    sh:or ( [ sh:nodeKind sh:BlankNode ]
            [ sh:pattern "^http://www\\\\.w3\\\\.org/" ]
            [ sh:property [ sh:path rdf:type ; sh:minCount 1 ] ]
            [ sh:property [ sh:path [ sh:alternativePath ( rdfs:label skos:prefLabel ) ] ; sh:minCount 1 ] ] ) .

gv:NoDanglingReference a sh:NodeShape ;
    sh:targetSubjectsOf rdfs:subClassOf , owl:equivalentClass , owl:disjointWith , rdfs:domain , rdfs:range ,
                        skos:broader , rdfs:subPropertyOf , owl:inverseOf ;
    sh:property [ sh:path [ sh:alternativePath ( rdfs:subClassOf owl:equivalentClass owl:disjointWith rdfs:domain rdfs:range
                                                  skos:broader rdfs:subPropertyOf owl:inverseOf ) ] ;
                  sh:node gv:Declared ; sh:severity sh:Violation ; gv:rule "no-dangling-reference" ;
                  sh:message "dangling reference: names a term that is never declared" ] ,
                [ sh:path ( [ sh:alternativePath ( rdfs:subClassOf owl:equivalentClass ) ]
                            [ sh:alternativePath ( owl:onProperty owl:someValuesFrom owl:allValuesFrom owl:onClass ) ] ) ;
                  sh:node gv:Declared ; sh:severity sh:Violation ; gv:rule "no-dangling-reference" ;
                  sh:message "dangling reference: a restriction names a term that is never declared" ] ,
                [ sh:path ( [ sh:alternativePath ( rdfs:subClassOf owl:equivalentClass rdfs:domain rdfs:range ) ]
                            [ sh:alternativePath ( owl:unionOf owl:intersectionOf ) ]
                            [ sh:zeroOrMorePath rdf:rest ] rdf:first ) ;
                  sh:node gv:Declared ; sh:severity sh:Violation ; gv:rule "no-dangling-reference" ;
                  sh:message "dangling reference: a class expression names a term that is never declared" ] .

# Graph-wide: runs once (focus gv:Graph); the class on the cycle is the result's value.
gv:GraphChecks a sh:NodeShape ;
    sh:targetNode gv:Graph ;
    sh:sparql [
        a sh:SPARQLConstraint ;
        sh:severity sh:Violation ;
        gv:rule "no-subclass-cycle" ;
        sh:message "rdfs:subClassOf cycle: the class is its own ancestor" ;
        sh:prefixes gv:prefixes ;
        sh:select \"\"\"SELECT DISTINCT $this ?value WHERE {
            ?value rdfs:subClassOf ?parent .
            FILTER(isIRI(?value) && isIRI(?parent) && ?parent != ?value)
            ?parent rdfs:subClassOf+ ?value .
        }\"\"\" ] .

gv:ProjectClassDocumented a sh:NodeShape ;
    sh:targetClass owl:Class ;
    sh:or ( [ sh:nodeKind sh:BlankNode ]
            [ sh:not [ sh:pattern "^{base_re}" ] ]
            [ sh:property [ sh:path owl:deprecated ; sh:hasValue true ] ]
            [ sh:property [ sh:path [ sh:alternativePath ( skos:definition rdfs:comment ) ] ; sh:minCount 1 ] ] ) ;
    sh:severity sh:Warning ;
    gv:rule "project-class-definition" ;
    sh:message "project class has no definition (skos:definition)" .

gv:ProjectClassKorean a sh:NodeShape ;
    sh:targetClass owl:Class ;
    sh:or ( [ sh:nodeKind sh:BlankNode ]
            [ sh:not [ sh:pattern "^{base_re}" ] ]
            [ sh:property [ sh:path owl:deprecated ; sh:hasValue true ] ]
            [ sh:property [ sh:path [ sh:alternativePath ( rdfs:label skos:prefLabel ) ] ;
                            sh:qualifiedValueShape [ sh:languageIn ( "ko" ) ] ; sh:qualifiedMinCount 1 ] ] ) ;
    sh:severity sh:Warning ;
    gv:rule "project-class-korean" ;
    sh:message "project class has no Korean label (@ko)" .
"""


def shapes_ttl(base_namespace: str) -> str:
    import re

    base_re = re.escape(base_namespace).replace("\\", "\\\\")
    return SHAPES_TTL.replace("{base_re}", base_re)
