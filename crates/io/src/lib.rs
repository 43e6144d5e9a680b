//! Readers and writers for the field's input and output formats (PETRARCH XML, Penn Treebank, CoNLL-U).
