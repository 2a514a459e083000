"""The offline AWS policy language: documents, matching, conditions and evaluation."""
