// Remote shards: xapian-tcpsrv processes on 127.0.0.1, one per shard, searched through a stub
// file of "remote 127.0.0.1:PORT" lines, give the same results as one local database: the same
// NCT ids in the same order, the same totals and the same facet counts.
#include <arpa/inet.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "test_support.hpp"
#include "trials/search/similar.hpp"

namespace trials::testing {
namespace {

std::string find_tcpsrv() {
    for (const char* p : {"/usr/bin/xapian-tcpsrv", "/usr/local/bin/xapian-tcpsrv"}) {
        if (access(p, X_OK) == 0) return p;
    }
    return {};
}

// A TCP port on 127.0.0.1 that no one listens on now (the kernel's choice).
int free_port() {
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return 0;
    sockaddr_in a{};
    a.sin_family = AF_INET;
    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    socklen_t len = sizeof a;
    int port = 0;
    if (bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 &&
        getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0) {
        port = ntohs(a.sin_port);
    }
    close(fd);
    return port;
}

// One xapian-tcpsrv serving one database on 127.0.0.1; stopped when destroyed.
class TcpServer {
public:
    TcpServer(const std::string& program, const std::filesystem::path& db, int port)
        : port_(port), uuid_(Xapian::Database(db.string()).get_uuid()) {
        pid_ = fork();
        if (pid_ == 0) {
            prctl(PR_SET_PDEATHSIG, SIGTERM);  // never outlive a crashed or killed test
            const std::string port_s = std::to_string(port);
            const std::string db_s = db.string();
            execl(program.c_str(), program.c_str(), "--port", port_s.c_str(), "--interface",
                  "127.0.0.1", "--quiet", db_s.c_str(), static_cast<char*>(nullptr));
            _exit(127);
        }
    }
    ~TcpServer() {
        if (pid_ > 0) {
            kill(pid_, SIGKILL);  // xapian-tcpsrv does not stop on SIGTERM
            waitpid(pid_, nullptr, 0);
        }
    }
    TcpServer(const TcpServer&) = delete;
    TcpServer& operator=(const TcpServer&) = delete;
    [[nodiscard]] int port() const { return port_; }
    // Waits (bounded) until the server answers with its database: false if it exited (the port
    // was taken meanwhile) or another server answers on the port (tests running in parallel).
    [[nodiscard]] bool ready() const {
        for (int i = 0; i < 100; ++i) {
            if (waitpid(pid_, nullptr, WNOHANG) == pid_) {
                pid_ = -1;  // reaped: nothing to stop
                return false;
            }
            try {
                Xapian::Database db = Xapian::Remote::open("127.0.0.1", port_, 2000);
                return db.get_uuid() == uuid_;
            } catch (const Xapian::Error&) {
                std::this_thread::sleep_for(std::chrono::milliseconds(50));
            }
        }
        return false;
    }

private:
    mutable pid_t pid_ = -1;
    int port_;
    std::string uuid_;
};

void expect_same(search::Searcher& local, search::Searcher& remote) {
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"", "relevance"},
        {"covid", "relevance"},
        {"status:recruiting", "start"},
        {"respiratory distress", "relevance"},
        {"mesenchymal OR stromal OR vaccine", "relevance"},
        {"phase:2", "enrollment:asc"},
        {"country:\"united states\"", "updated"},
        {"cancer -breast", "relevance"},
        {"age:10", "relevance"},
    };
    for (const auto& [q, sort] : cases) {
        search::SearchRequest r;
        r.query = q;
        r.sort = sort;
        r.limit = 30;
        r.exact_total = true;
        r.facets = {"status", "phase", "country", "condition_mesh"};
        const auto a = local.search(r);
        const auto b = remote.search(r);
        EXPECT_EQ(a.total, b.total) << q;
        ASSERT_EQ(a.hits.size(), b.hits.size()) << q;
        for (std::size_t i = 0; i < a.hits.size(); ++i) {
            EXPECT_EQ(a.hits[i].nct_id, b.hits[i].nct_id) << q << " rank " << i;
            EXPECT_NEAR(a.hits[i].score, b.hits[i].score, 1e-6) << q << " rank " << i;
            EXPECT_EQ(a.hits[i].snippet, b.hits[i].snippet) << q << " rank " << i;
        }
        ASSERT_EQ(a.facets.size(), b.facets.size());
        for (std::size_t f = 0; f < a.facets.size(); ++f) {
            std::map<std::string, std::uint64_t> fa, fb;
            for (const auto& v : a.facets[f].second) fa[v.value] = v.count;
            for (const auto& v : b.facets[f].second) fb[v.value] = v.count;
            EXPECT_EQ(fa, fb) << q << " facet " << a.facets[f].first;
        }
    }
}

// Similar trials (with filters and facet counts) are the same through the remote shards.
void expect_same_similar(search::Searcher& local, search::Searcher& remote,
                         const std::vector<std::string>& sources) {
    for (const auto& nct : sources) {
        for (const std::string q : {"", "status:recruiting,completed"}) {
            search::SimilarRequest r;
            r.nct_id = nct;
            r.query = q;
            r.facets = {"status"};
            const auto a = search::SimilarFinder(local).find(r);
            const auto b = search::SimilarFinder(remote).find(r);
            ASSERT_FALSE(a.hits.empty()) << nct;
            // Estimates (and whether Xapian's bounds meet) depend on how the index is split;
            // exact totals must agree.
            if (a.total_exact && b.total_exact) {
                EXPECT_EQ(a.total, b.total) << nct << " " << q;
            }
            ASSERT_EQ(a.hits.size(), b.hits.size()) << nct << " " << q;
            for (std::size_t i = 0; i < a.hits.size(); ++i) {
                EXPECT_EQ(a.hits[i].nct_id, b.hits[i].nct_id) << nct << " " << q << " #" << i;
                EXPECT_EQ(a.hits[i].score, b.hits[i].score) << nct << " " << q << " #" << i;
                EXPECT_EQ(a.hits[i].why, b.hits[i].why) << nct << " " << q << " #" << i;
            }
            ASSERT_EQ(a.facets.size(), 1u);
            ASSERT_EQ(b.facets.size(), 1u);
            std::map<std::string, std::uint64_t> fa, fb;
            for (const auto& v : a.facets[0].second) fa[v.value] = v.count;
            for (const auto& v : b.facets[0].second) fb[v.value] = v.count;
            EXPECT_EQ(fa, fb) << nct << " " << q;
        }
    }
}

// Serves each shard of a shard set and writes a stub naming them; returns the stub path.
std::filesystem::path serve_shards(const std::filesystem::path& shard_set, unsigned shards,
                                   const std::filesystem::path& stub,
                                   std::vector<std::unique_ptr<TcpServer>>& servers) {
    const std::string program = find_tcpsrv();
    std::ofstream out(stub);
    for (unsigned i = 0; i < shards; ++i) {
        char name[16];
        std::snprintf(name, sizeof name, "shard-%03u", i);
        // A port free now may be taken before the server binds it: try another.
        for (int attempt = 0; attempt < 5; ++attempt) {
            auto server = std::make_unique<TcpServer>(program, shard_set / name, free_port());
            if (server->ready()) {
                out << "remote 127.0.0.1:" << server->port() << "\n";
                servers.push_back(std::move(server));
                break;
            }
        }
        if (servers.size() != i + 1) ADD_FAILURE() << "no xapian-tcpsrv could serve " << name;
    }
    return stub;
}

TEST(RemoteShards, SampleOverTcpEqualsOneDatabase) {
    if (find_tcpsrv().empty()) GTEST_SKIP() << "xapian-tcpsrv is not installed (xapian-tools)";
    TempDir dir;
    indexer::IndexOptions o;
    o.inputs = {TRIALS_SAMPLE_DATA "/sample"};
    o.db_path = dir / "one";
    (void)indexer::run_index(o);
    o.db_path = dir / "shards";
    o.shards = 3;
    (void)indexer::run_index(o);
    std::vector<std::unique_ptr<TcpServer>> servers;
    const auto stub = serve_shards(dir / "shards", 3, dir / "remote.stub", servers);
    for (const auto& s : servers) ASSERT_TRUE(s->ready());
    search::Searcher local(dir / "one");
    search::Searcher remote(stub);
    EXPECT_EQ(local.doc_count(), remote.doc_count());
    expect_same(local, remote);
    expect_same_similar(local, remote, {"NCT04447833", "NCT09900001", "NCT09900013"});
}

TEST(RemoteShards, RealRecordsOverTcpEqualOneDatabase) {
    if (find_tcpsrv().empty()) GTEST_SKIP() << "xapian-tcpsrv is not installed (xapian-tools)";
    const std::filesystem::path dbs(TRIALS_TEST_DBS);
    if (!std::filesystem::exists(dbs / "all-one")) {
        GTEST_SKIP() << "real data absent (../shared/data/real): the real_dbs fixture built no "
                        "database";
    }
    TempDir dir;
    std::vector<std::unique_ptr<TcpServer>> servers;
    const auto stub = serve_shards(dbs / "all", 3, dir / "remote.stub", servers);
    for (const auto& s : servers) ASSERT_TRUE(s->ready());
    search::Searcher local(dbs / "all-one");
    search::Searcher remote(stub);
    search::Searcher sharded(dbs / "all");
    EXPECT_GT(local.doc_count(), 11800u);
    EXPECT_EQ(local.doc_count(), remote.doc_count());
    expect_same(local, remote);
    expect_same(local, sharded);
    expect_same_similar(local, remote, {"NCT04447833", "NCT03042143", "NCT04280705"});
    expect_same_similar(local, sharded, {"NCT04447833", "NCT03042143"});
}

}  // namespace
}  // namespace trials::testing
