// The indexing run: a reader thread enumerates raw documents; a oneTBB pipeline parses and builds
// documents in parallel; an in-order stage counts and routes them to one writer per shard (each
// shard on its own thread when there are several); explicit commits.
#include "trials/indexer/index_run.hpp"

#include <oneapi/tbb/concurrent_queue.h>
#include <oneapi/tbb/enumerable_thread_specific.h>
#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/parallel_pipeline.h>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <mutex>
#include <thread>
#include <unordered_set>
#include <variant>

#include "trials/analysis/database.hpp"
#include "trials/analysis/facet_columns.hpp"
#include "trials/analysis/mesh.hpp"
#include "trials/analysis/schema.hpp"
#include "trials/error.hpp"
#include "trials/indexer/document_builder.hpp"
#include "trials/indexer/shards.hpp"
#include "trials/indexer/spelling.hpp"

namespace trials::indexer {
namespace {

// Writers for a new database (one per thread, at most this many), merged when the run ends. On 2
// cores 2 writers built 10,000 generated studies 1.43x as fast as one and 4 writers 1.25x.
constexpr unsigned kMaxMergeWriters = 8;

using records::InputError;
using records::RawDocument;

struct EndOfInput {};
using QueueItem = std::variant<RawDocument, InputError, EndOfInput>;

struct BuiltStudy {
    std::string nct_id;
    std::string origin;
    std::string fingerprint;
    Xapian::Document doc;
    std::vector<std::string> spelling;  // short-field words for the spelling table
    // Not built: the database held this fingerprint when the run began (an unchanged study of
    // an update). The writer checks again and builds it only if the run changed it meanwhile.
    std::optional<records::Study> unbuilt;
};

// Builds a study the parallel stage left unbuilt; called by the shard writers (rarely).
using LateBuilder = std::function<void(BuiltStudy&)>;

// What the parallel stage hands to the writer: the studies of one raw document, in order.
struct Batch {
    std::vector<BuiltStudy> studies;
    std::vector<InputError> errors;
    std::uint64_t bytes = 0;
    std::uint64_t skipped = 0;
};

// A database whose creation was killed before Xapian wrote its version file (iamglass) holds no
// committed state and cannot be opened: its files are removed so that the same command starts
// again (found by tests/reliability/crash_test.cpp). Anything else in the folder is left alone.
Xapian::WritableDatabase open_resuming(const std::filesystem::path& dir) {
    std::error_code ec;
    if (std::filesystem::is_directory(dir, ec) && !std::filesystem::exists(dir / "iamglass", ec)) {
        std::vector<std::filesystem::path> partial;
        bool only_xapian = true;
        for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
            const std::string name = e.path().filename().string();
            only_xapian = only_xapian && (name == "flintlock" || name == "v.tmp" ||
                                          name.ends_with(".glass") || name.ends_with(".tmp"));
            partial.push_back(e.path());
        }
        if (only_xapian && !ec) {
            for (const auto& f : partial) std::filesystem::remove(f, ec);
        }
    }
    return analysis::open_for_writing(dir);
}

// One shard database and its writer. With several shards each runs on its own thread, fed by a
// bounded queue, so the Xapian writers work in parallel.
class ShardWriter {
public:
    ShardWriter(std::filesystem::path path, const IndexOptions& options, LateBuilder late)
        : path_(std::move(path)),
          options_(options),
          late_(std::move(late)),
          db_(open_resuming(path_)) {}

    void store(BuiltStudy& b) {
        const std::string id_term = std::string(analysis::kIdPrefix) + b.nct_id;
        try {
            Xapian::PostingIterator p = db_.postlist_begin(id_term);
            if (p != db_.postlist_end(id_term)) {
                const Xapian::Document old = db_.get_document(*p);
                if (old.get_value(analysis::kContentHashSlot) == b.fingerprint) {
                    ++unchanged_;
                    return;
                }
                ++updated_;
                remove_spelling_words(db_, spelling_words(old));
            } else {
                ++added_;
            }
            if (b.unbuilt) late_(b);
            db_.replace_document(id_term, b.doc);
            add_spelling_words(db_, b.spelling);
            if (++since_commit_ >= options_.commit_every) {
                db_.commit();
                since_commit_ = 0;
            }
        } catch (const Xapian::Error& e) {
            analysis::rethrow_xapian(e, path_.string() + ": writing " + b.nct_id);
        }
    }

    // Deletes what the run did not see (delete_missing), writes synonyms and analysis settings,
    // commits.
    void finish(const std::unordered_set<std::string>* seen,
                const std::vector<std::pair<std::string, std::string>>& synonyms,
                const analysis::AnalysisResources* resources) {
        try {
            if (seen != nullptr) {
                std::vector<std::string> gone;
                const std::string q(analysis::kIdPrefix);
                for (auto t = db_.allterms_begin(q); t != db_.allterms_end(q); ++t) {
                    const std::string term = *t;
                    if (!seen->contains(term.substr(q.size()))) gone.push_back(term);
                }
                for (const auto& term : gone) db_.delete_document(term);
                deleted_ = gone.size();
            }
            analysis::store_synonyms(db_, synonyms);
            if (resources != nullptr) analysis::store_analysis_resources(db_, *resources);
            db_.commit();
            // The facet columns of what is now committed, in a commit of their own.
            analysis::store_facet_columns(db_);
            db_.commit();
            doc_count_ = db_.get_doccount();
        } catch (const Xapian::Error& e) {
            analysis::rethrow_xapian(e, path_.string());
        }
    }

    void add_counts(IndexStats& s) const {
        s.added += added_;
        s.updated += updated_;
        s.unchanged += unchanged_;
        s.deleted += deleted_;
        s.doc_count += doc_count_;
    }

private:
    std::filesystem::path path_;
    const IndexOptions& options_;
    LateBuilder late_;
    Xapian::WritableDatabase db_;
    std::size_t since_commit_ = 0;
    std::uint64_t added_ = 0, updated_ = 0, unchanged_ = 0, deleted_ = 0, doc_count_ = 0;
};

// The serial, in-order stage: counts, reports, deduplicates, and routes each study to its shard.
class Router {
public:
    Router(const IndexOptions& options, IndexStats& stats, const ShardLayout& layout,
           const LateBuilder& late)
        : options_(options), stats_(stats) {
        if (layout.shards > 1) std::filesystem::create_directories(layout.root);
        for (const auto& p : layout.shard_paths()) {
            writers_.push_back(std::make_unique<ShardWriter>(p, options, late));
        }
        if (writers_.size() > 1) {
            queues_.resize(writers_.size());
            for (std::size_t i = 0; i < writers_.size(); ++i) {
                queues_[i].set_capacity(256);
                threads_.emplace_back([this, i] { drain(i); });
            }
        }
    }
    ~Router() { join(); }
    Router(const Router&) = delete;
    Router& operator=(const Router&) = delete;

    void write(Batch& batch) {
        if (stop_) return;  // batches already parsed when the run stopped: not written
        stats_.bytes += batch.bytes;
        stats_.skipped += batch.skipped;
        for (auto& e : batch.errors) reject(e);
        for (auto& b : batch.studies) {
            ++stats_.read;
            if (!seen_.insert(b.nct_id).second) {
                ++stats_.duplicates;
                if (options_.on_error) {
                    options_.on_error(InputError{b.origin, b.nct_id,
                                                 "warning: duplicate NCT id in this run; this "
                                                 "later record replaces the earlier one"});
                }
            }
            if (writers_.size() == 1) {
                writers_[0]->store(b);
            } else {
                check_writers();
                queues_[shard_of(b.nct_id, static_cast<unsigned>(writers_.size()))].push(
                    std::make_shared<BuiltStudy>(std::move(b)));
            }
        }
        maybe_progress();
    }

    void reject(const InputError& e) {
        ++stats_.rejected;
        if (options_.on_error) options_.on_error(e);
        if (options_.strict) {
            stop("--strict: " + e.to_string());
        } else if (options_.max_errors != 0 && stats_.rejected >= options_.max_errors) {
            stop("--max-errors " + std::to_string(options_.max_errors) + " reached");
        }
    }

    // Waits for the shard writers, then finishes every shard.
    void finish(const std::vector<std::pair<std::string, std::string>>& synonyms,
                const analysis::AnalysisResources* resources) {
        join();
        check_writers();
        const bool delete_missing = options_.delete_missing && !stats_.stopped_early;
        for (auto& w : writers_) {
            w->finish(delete_missing ? &seen_ : nullptr, synonyms, resources);
            w->add_counts(stats_);
        }
    }

    [[nodiscard]] bool stopping() const { return stop_; }
    void stop(std::string reason) {
        if (!stop_) {
            stop_ = true;
            stats_.stopped_early = true;
            stats_.stop_reason = std::move(reason);
        }
    }

private:
    void drain(std::size_t i) {
        while (true) {
            std::shared_ptr<BuiltStudy> b;
            queues_[i].pop(b);
            if (!b) return;
            if (failed_.load()) continue;  // keep draining so the router never blocks
            try {
                writers_[i]->store(*b);
            } catch (...) {
                std::lock_guard lock(failure_mutex_);
                if (!failure_) failure_ = std::current_exception();
                failed_.store(true);
            }
        }
    }

    void join() {
        if (threads_.empty()) return;
        for (auto& q : queues_) q.push(nullptr);
        for (auto& t : threads_) t.join();
        threads_.clear();
    }

    void check_writers() {
        if (!failed_.load()) return;
        std::lock_guard lock(failure_mutex_);
        std::rethrow_exception(failure_);
    }

    void maybe_progress() {
        if (!options_.on_progress) return;
        const auto now = std::chrono::steady_clock::now();
        if (now - last_progress_ >= std::chrono::seconds(1)) {
            last_progress_ = now;
            options_.on_progress(stats_);
        }
    }

    const IndexOptions& options_;
    IndexStats& stats_;
    std::vector<std::unique_ptr<ShardWriter>> writers_;
    std::vector<tbb::concurrent_bounded_queue<std::shared_ptr<BuiltStudy>>> queues_;
    std::vector<std::thread> threads_;
    std::atomic<bool> failed_{false};
    std::mutex failure_mutex_;
    std::exception_ptr failure_;
    std::unordered_set<std::string> seen_;
    bool stop_ = false;
    std::chrono::steady_clock::time_point last_progress_ = std::chrono::steady_clock::now();
};

// Synonym pairs for the database: the curated groups (every phrase to every other and to its
// group's concept, "XG:" + id, which the documents hold wherever a phrase of the group occurs;
// the query builder uses one or the other) and, with a
// MeSH thesaurus, the names and entry terms of every descriptor the records use pointing at the
// descriptor id term ("shock lung" finds trials indexed under ARDS).
std::vector<std::pair<std::string, std::string>> synonym_pairs(
    const std::vector<std::set<std::string>>& mesh_uis, const analysis::MeshThesaurus* mesh,
    const analysis::AnalyzerRegistry& registry,
    const std::vector<analysis::SynonymGroup>& groups) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& g : groups) {
        const std::string target = std::string(analysis::kConceptPrefix) + analysis::concept_id(g);
        for (const auto& a : g.phrases) {
            if (a.empty()) continue;
            out.emplace_back(a, target);
            for (const auto& b : g.phrases) {
                if (a != b && !b.empty()) out.emplace_back(a, b);
            }
        }
    }
    if (mesh == nullptr) return out;
    const auto& analyzer = registry.get("name");
    std::set<std::string> uis;
    for (const auto& s : mesh_uis) uis.insert(s.begin(), s.end());
    for (const auto& ui : uis) {
        const auto* d = mesh->by_ui(ui);
        if (d == nullptr) continue;
        const std::string target = std::string(analysis::kMeshIdPrefix) + d->ui;
        auto add = [&](const std::string& term) {
            std::string key = analysis::phrase_key(analyzer, term);
            if (!key.empty()) out.emplace_back(std::move(key), target);
        };
        add(d->name);
        for (const auto& e : d->entry_terms) add(e);
    }
    return out;
}

// What the database held when the run began, for skipping unchanged studies in the parallel
// stage: one read-only handle per thread. Only an optimisation (the writer checks again), so a
// snapshot that cannot be read (overwritten by the run's own commits) just means "build it".
class Snapshot {
public:
    explicit Snapshot(const std::filesystem::path& db) : path_(db) {}
    bool holds(const std::string& nct_id, const std::string& fingerprint) {
        const std::string id_term = std::string(analysis::kIdPrefix) + nct_id;
        try {
            if (!db_) db_ = analysis::open_for_search(path_);
            const auto p = db_->postlist_begin(id_term);
            return p != db_->postlist_end(id_term) &&
                   db_->get_document(*p).get_value(analysis::kContentHashSlot) == fingerprint;
        } catch (const Xapian::Error&) {
            db_.reset();  // reopened on the next study
        } catch (const trials::Error&) {
            db_.reset();
        }
        return false;
    }

private:
    std::filesystem::path path_;
    std::optional<Xapian::Database> db_;
};

}  // namespace

IndexStats run_index(const IndexOptions& options) {
    const auto t0 = std::chrono::steady_clock::now();
    IndexStats stats;

    // Analysis resources: stored in the database so the search analyses queries the same way.
    std::unique_ptr<analysis::AnalysisResources> resources;
    std::unique_ptr<analysis::AnalyzerRegistry> registry;
    if (options.stopwords_path) {
        resources = std::make_unique<analysis::AnalysisResources>();
        resources->stopwords = analysis::load_stopwords(*options.stopwords_path);
        registry = std::make_unique<analysis::AnalyzerRegistry>(*resources);
    } else {
        registry = std::make_unique<analysis::AnalyzerRegistry>();
    }
    std::unique_ptr<analysis::MeshThesaurus> mesh;
    if (options.mesh_path) {
        mesh = std::make_unique<analysis::MeshThesaurus>(
            analysis::MeshThesaurus::load(*options.mesh_path));
    }
    std::vector<analysis::SynonymGroup> synonyms;
    if (options.synonyms_path) {
        synonyms = analysis::load_synonyms(*options.synonyms_path, registry->get("name"));
    }

    // What shapes a document besides its study: a run with other settings rebuilds every study.
    std::vector<std::string> settings;
    if (mesh) settings.push_back("mesh " + std::to_string(mesh->size()));
    if (resources) {
        settings.push_back("stopwords");
        settings.insert(settings.end(), resources->stopwords.begin(), resources->stopwords.end());
    }
    // The synonym groups: their phrases become concept terms in the documents.
    const analysis::ConceptMatcher concepts(synonyms);
    for (const auto& g : synonyms) {
        std::string line = "synonyms";
        for (const auto& p : g.phrases) line += "|" + p;
        settings.push_back(std::move(line));
    }
    const std::uint64_t settings_fp = settings.empty() ? 0 : settings_fingerprint(settings);

    // An update (the database already holds studies): unchanged studies are recognised by their
    // fingerprint before they are built, so an update costs little more than reading the dump.
    bool updating = false;
    try {
        updating = std::filesystem::exists(options.db_path) &&
                   analysis::open_for_search(options.db_path).get_doccount() > 0;
    } catch (const Xapian::Error&) {
    } catch (const trials::Error&) {
    }
    std::mutex late_mutex;
    std::unique_ptr<DocumentBuilder> late_builder;
    const LateBuilder late = [&](BuiltStudy& b) {
        std::lock_guard lock(late_mutex);
        if (!late_builder) {
            late_builder = std::make_unique<DocumentBuilder>(*registry, mesh.get(), settings_fp,
                                                             &concepts);
        }
        b.doc = late_builder->build(*b.unbuilt, b.fingerprint);
        b.spelling = spelling_words(b.doc);
        b.unbuilt.reset();
    };

    const unsigned threads =
        options.threads != 0 ? options.threads : std::max(1u, std::thread::hardware_concurrency());
    const ShardLayout layout =
        resolve_layout(options.db_path, options.shards, std::min(threads, kMaxMergeWriters));
    auto router = std::make_unique<Router>(options, stats, layout, late);
    Router& writer = *router;
    write_stub(layout);

    tbb::global_control parallelism(tbb::global_control::max_allowed_parallelism, threads);

    tbb::concurrent_bounded_queue<QueueItem> queue;
    queue.set_capacity(static_cast<std::ptrdiff_t>(threads) * 4 + 4);
    std::atomic<bool> cancel{false};
    bool saw_end = false;  // the pipeline consumed the reader's EndOfInput
    std::thread reader([&] {
        records::SourceOptions src;
        for (const auto& input : options.inputs) {
            if (cancel.load()) break;
            try {
                records::for_each_document(
                    input, src,
                    [&](RawDocument&& doc) {
                        if (cancel.load()) return false;
                        queue.push(QueueItem(std::move(doc)));
                        return true;
                    },
                    [&](InputError&& e) { queue.push(QueueItem(std::move(e))); });
            } catch (const std::exception& e) {
                queue.push(QueueItem(InputError{input.string(), "", e.what()}));
            }
        }
        queue.push(QueueItem(EndOfInput{}));
    });

    tbb::enumerable_thread_specific<DocumentBuilder> builders(std::cref(*registry), mesh.get(),
                                                              settings_fp, &concepts);
    tbb::enumerable_thread_specific<Snapshot> snapshots(std::cref(options.db_path));
    std::exception_ptr failure;
    try {
        tbb::parallel_pipeline(
            threads * 4,
            tbb::make_filter<void, std::shared_ptr<QueueItem>>(
                tbb::filter_mode::serial_in_order,
                [&](tbb::flow_control& fc) -> std::shared_ptr<QueueItem> {
                    if (writer.stopping() || (options.stop != nullptr && options.stop->load())) {
                        if (!writer.stopping()) writer.stop("interrupted");
                        fc.stop();
                        return nullptr;
                    }
                    auto item = std::make_shared<QueueItem>();
                    queue.pop(*item);
                    if (std::holds_alternative<EndOfInput>(*item)) {
                        saw_end = true;
                        fc.stop();
                        return nullptr;
                    }
                    return item;
                }) &
                tbb::make_filter<std::shared_ptr<QueueItem>, std::shared_ptr<Batch>>(
                    tbb::filter_mode::parallel,
                    [&](std::shared_ptr<QueueItem> item) {
                        auto batch = std::make_shared<Batch>();
                        if (auto* e = std::get_if<InputError>(item.get())) {
                            batch->errors.push_back(std::move(*e));
                            return batch;
                        }
                        auto& raw = std::get<RawDocument>(*item);
                        batch->bytes = raw.bytes.size();
                        records::ParseResult parsed = records::parse_document(raw);
                        raw.bytes.clear();
                        raw.bytes.shrink_to_fit();
                        batch->errors = std::move(parsed.errors);
                        auto& builder = builders.local();
                        for (auto& p : parsed.studies) {
                            if (options.shard_of &&
                                shard_of(p.study.nct_id, options.shard_of->second) !=
                                    options.shard_of->first) {
                                ++batch->skipped;
                                continue;
                            }
                            BuiltStudy b;
                            b.nct_id = p.study.nct_id;
                            b.origin = std::move(p.origin);
                            b.fingerprint = builder.fingerprint(p.study);
                            if (updating &&
                                snapshots.local().holds(b.nct_id, b.fingerprint)) {
                                b.unbuilt = std::move(p.study);
                            } else {
                                b.doc = builder.build(p.study, b.fingerprint);
                                b.spelling = spelling_words(b.doc);
                            }
                            batch->studies.push_back(std::move(b));
                        }
                        return batch;
                    }) &
                tbb::make_filter<std::shared_ptr<Batch>, void>(
                    tbb::filter_mode::serial_in_order,
                    [&](std::shared_ptr<Batch> batch) { writer.write(*batch); }));
    } catch (...) {
        failure = std::current_exception();
    }

    // Let the reader finish: cancel it and drain what it still pushes.
    cancel.store(true);
    QueueItem item;
    while (!saw_end) {
        queue.pop(item);
        saw_end = std::holds_alternative<EndOfInput>(item);
    }
    reader.join();
    if (failure) std::rethrow_exception(failure);

    std::vector<std::set<std::string>> mesh_uis;
    for (const auto& b : builders) mesh_uis.push_back(b.mesh_uis_seen());
    if (late_builder) mesh_uis.push_back(late_builder->mesh_uis_seen());
    writer.finish(synonym_pairs(mesh_uis, mesh.get(), *registry, synonyms), resources.get());
    router.reset();  // closes the shard databases (and releases their write locks)
    if (layout.merge && !stats.stopped_early) {
        stats.merging = layout.shards;
        if (options.on_progress) options.on_progress(stats);
        compact_database(options.db_path);
        stats.merging = 0;
        stats.merged_shards = layout.shards;
    }
    stats.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return stats;
}

}  // namespace trials::indexer
