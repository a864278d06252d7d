// Helpers for the reliability tests: run trials-index / trials-search as child processes (with
// their exit status, signal, output and peak memory), kill them at chosen moments, generate
// large inputs by cloning the bundled sample with new NCT ids, and read back what a database
// holds.
#pragma once

#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <xapian.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "../integration/test_support.hpp"
#include "trials/analysis/schema.hpp"

namespace trials::reliability {

namespace fs = std::filesystem;
using testing::TempDir;
using testing::write_file;

inline std::string read_text(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

inline std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
}

struct Finished {
    int code = -1;     // exit status, -1 when killed by a signal
    int signal = 0;    // the signal that ended it, 0 when it exited
    long max_rss_kb = 0;
    std::string out;
    std::string err;
};

// A program of the build (trials-index, trials-search) running as a child process; its stdout
// and stderr go to files in `dir`. Optionally run as another user (uid), for permission tests.
class Child {
public:
    Child(const std::string& program, const std::vector<std::string>& args, const fs::path& dir,
          std::optional<uid_t> uid = std::nullopt)
        : out_(dir / ("out-" + std::to_string(++counter()))),
          err_(dir / ("err-" + std::to_string(counter()))) {
        const std::string exe = std::string(TRIALS_BIN_DIR) + "/" + program;
        std::vector<std::string> argv_s{exe};
        argv_s.insert(argv_s.end(), args.begin(), args.end());
        pid_ = fork();
        if (pid_ == 0) {
            prctl(PR_SET_PDEATHSIG, SIGKILL);
            const int o = open(out_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0666);
            const int e = open(err_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0666);
            const int n = open("/dev/null", O_RDONLY);
            dup2(o, 1);
            dup2(e, 2);
            dup2(n, 0);
            if (uid && (setgid(*uid) != 0 || setuid(*uid) != 0)) _exit(126);
            std::vector<char*> argv;
            for (auto& a : argv_s) argv.push_back(a.data());
            argv.push_back(nullptr);
            execv(exe.c_str(), argv.data());
            _exit(127);
        }
    }
    ~Child() {
        if (pid_ > 0 && !done_) {
            kill(pid_, SIGKILL);
            (void)wait();
        }
    }
    Child(const Child&) = delete;
    Child& operator=(const Child&) = delete;

    void signal(int sig) const { kill(pid_, sig); }

    // True once the child has exited (without reaping it).
    [[nodiscard]] bool exited() const {
        siginfo_t info{};
        return waitid(P_PID, static_cast<id_t>(pid_), &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
               info.si_pid == pid_;
    }

    Finished wait() {
        Finished f;
        int status = 0;
        rusage usage{};
        wait4(pid_, &status, 0, &usage);
        done_ = true;
        if (WIFEXITED(status)) f.code = WEXITSTATUS(status);
        if (WIFSIGNALED(status)) f.signal = WTERMSIG(status);
        f.max_rss_kb = usage.ru_maxrss;
        f.out = read_text(out_);
        f.err = read_text(err_);
        return f;
    }

private:
    static int& counter() {
        static int n = 0;
        return n;
    }
    fs::path out_, err_;
    pid_t pid_ = -1;
    bool done_ = false;
};

inline Finished run_program(const std::string& program, const std::vector<std::string>& args,
                            const fs::path& dir, std::optional<uid_t> uid = std::nullopt) {
    Child c(program, args, dir, uid);
    return c.wait();
}

// The bundled sample studies (data/sample/*.json), parsed.
inline std::vector<nlohmann::json> sample_studies() {
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(fs::path(TRIALS_SAMPLE_DATA) / "sample")) {
        if (e.path().extension() == ".json") files.push_back(e.path());
    }
    std::sort(files.begin(), files.end());
    std::vector<nlohmann::json> out;
    for (const auto& f : files) out.push_back(nlohmann::json::parse(read_text(f)));
    return out;
}

inline std::string clone_id(std::size_t i) {
    char id[32];
    std::snprintf(id, sizeof id, "NCT07%06zu", i);
    return id;
}

// Writes n studies, clones of the sample with ids clone_id(0..n-1), as NDJSON files of
// `per_file` lines each (named so that a directory walk reads them in id order). Returns the
// ids in input order.
inline std::vector<std::string> write_clones(const fs::path& dir, std::size_t n,
                                             std::size_t per_file) {
    const auto samples = sample_studies();
    std::vector<std::string> ids;
    fs::create_directories(dir);
    std::ofstream out;
    for (std::size_t i = 0; i < n; ++i) {
        if (i % per_file == 0) {
            char name[48];
            std::snprintf(name, sizeof name, "part-%05zu.ndjson", i / per_file);
            out = std::ofstream(dir / name, std::ios::binary);
        }
        nlohmann::json s = samples[i % samples.size()];
        ids.push_back(clone_id(i));
        s["protocolSection"]["identificationModule"]["nctId"] = ids.back();
        out << s.dump() << '\n';
    }
    return ids;
}

// The NCT ids a database holds (its id terms), sorted.
inline std::vector<std::string> db_ids(const fs::path& db) {
    Xapian::Database d(db.string());
    std::vector<std::string> ids;
    const std::string prefix(analysis::kIdPrefix);
    for (auto t = d.allterms_begin(prefix); t != d.allterms_end(prefix); ++t) {
        ids.push_back((*t).substr(prefix.size()));
    }
    return ids;
}

inline std::size_t count_substr(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (auto p = text.find(what); p != std::string::npos; p = text.find(what, p + 1)) ++n;
    return n;
}

}  // namespace trials::reliability
