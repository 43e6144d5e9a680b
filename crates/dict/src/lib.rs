//! Readers for PETRARCH/TABARI actor, agent, verb, discard and issue dictionaries, compiled once.
