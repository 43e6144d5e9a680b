//! CAMEO and PLOVER code tables: names, Goldstein values, quad classes, mappings.
