// The project's one exception tree. Everything library code throws derives from trials::Error,
// so mains can map errors to exit codes in one place.
#pragma once

#include <stdexcept>
#include <string>

namespace trials {

class Error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// A record or input file that cannot be read (bad JSON/XML, missing NCT id, invalid UTF-8 ...).
class BadInputError : public Error {
public:
    using Error::Error;
};

// Text analysis failed (an ICU error, a bad synonym or MeSH file).
class AnalysisError : public Error {
public:
    using Error::Error;
};

// The index could not be opened, written or read (Xapian errors are translated into this).
class IndexError : public Error {
public:
    using Error::Error;
};

// Another writer holds the database lock.
class LockedError : public IndexError {
public:
    using IndexError::IndexError;
};

// The database was written by an incompatible schema version.
class SchemaMismatchError : public IndexError {
public:
    using IndexError::IndexError;
};

// The user's query could not be parsed or is invalid.
class QueryError : public Error {
public:
    using Error::Error;
};

// Command-line usage error detected by library code (bad option value).
class UsageError : public Error {
public:
    using Error::Error;
};

}  // namespace trials
