"""Certificates, the naming list and the county self-check report (filled in from the appraisal)."""


def document_source(document):
    raise NotImplementedError(document.kind)
