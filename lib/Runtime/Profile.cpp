//===- Profile.cpp - per-kernel timing of a model's runtime calls --------===//
//
// The registry behind QOPT_PROFILE (Profile.h) and its report. Parallel
// loops are named by their body's symbol: the compiler names them
// `<function>_parallel<N>`, local symbols that dladdr does not see, so the
// report reads them from the library's ELF symbol table.
//
//===----------------------------------------------------------------------===//

#include "Profile.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <dlfcn.h>
#include <elf.h>
#include <fcntl.h>
#include <map>
#include <mutex>
#include <string>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

extern "C" int qopt_rt_get_num_threads(void);

namespace qopt_rt {

thread_local int ProfileScope::depth = 0;

bool profiling() {
  static const bool on = [] {
    const char *env = std::getenv("QOPT_PROFILE");
    return env && *env;
  }();
  return on;
}

namespace {

struct Stat {
  size_t order; // first call's position: the table is in model order
  int64_t calls = 0;
  int64_t totalNs = 0;
  int64_t minNs = INT64_MAX;
  int64_t macs = 0;
  const void *code = nullptr;
  std::string kernel, shape;
};

/// The function symbol of the ELF file `path` that holds `offset` (an
/// address relative to the file's load base), or "" if none.
std::string symbolAt(const char *path, uint64_t offset) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return "";
  struct stat st;
  std::string name;
  if (fstat(fd, &st) == 0 && size_t(st.st_size) >= sizeof(Elf64_Ehdr)) {
    size_t size = st.st_size;
    void *map = mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (map != MAP_FAILED) {
      auto *base = static_cast<const unsigned char *>(map);
      auto *eh = reinterpret_cast<const Elf64_Ehdr *>(base);
      bool ok =
          std::memcmp(eh->e_ident, ELFMAG, SELFMAG) == 0 &&
          eh->e_ident[EI_CLASS] == ELFCLASS64 &&
          eh->e_shentsize == sizeof(Elf64_Shdr) &&
          eh->e_shoff + uint64_t(eh->e_shnum) * sizeof(Elf64_Shdr) <= size;
      auto *sh = ok ? reinterpret_cast<const Elf64_Shdr *>(base + eh->e_shoff)
                    : nullptr;
      for (unsigned i = 0; ok && i < eh->e_shnum && name.empty(); ++i) {
        if (sh[i].sh_type != SHT_SYMTAB || sh[i].sh_link >= eh->e_shnum)
          continue;
        const Elf64_Shdr &strtab = sh[sh[i].sh_link];
        if (sh[i].sh_offset + sh[i].sh_size > size ||
            strtab.sh_offset + strtab.sh_size > size)
          continue;
        auto *syms =
            reinterpret_cast<const Elf64_Sym *>(base + sh[i].sh_offset);
        size_t count = sh[i].sh_size / sizeof(Elf64_Sym);
        for (size_t j = 0; j < count; ++j) {
          const Elf64_Sym &s = syms[j];
          if (ELF64_ST_TYPE(s.st_info) != STT_FUNC || offset < s.st_value ||
              offset >= s.st_value + std::max<uint64_t>(s.st_size, 1) ||
              s.st_name >= strtab.sh_size)
            continue;
          const char *str =
              reinterpret_cast<const char *>(base + strtab.sh_offset) +
              s.st_name;
          name.assign(str, strnlen(str, strtab.sh_size - s.st_name));
          break;
        }
      }
      munmap(map, size);
    }
  }
  close(fd);
  return name;
}

std::string codeName(const void *code) {
  Dl_info info;
  if (!dladdr(code, &info) || !info.dli_fname)
    return "?";
  if (info.dli_sname && info.dli_saddr == code)
    return info.dli_sname;
  uint64_t offset = reinterpret_cast<uintptr_t>(code) -
                    reinterpret_cast<uintptr_t>(info.dli_fbase);
  std::string name = symbolAt(info.dli_fname, offset);
  if (!name.empty())
    return name;
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "+0x%llx",
                static_cast<unsigned long long>(offset));
  return buffer;
}

class Registry {
public:
  void add(const char *kernel, const char *shape, const void *code,
           int64_t macs, int64_t ns) {
    char key[160];
    std::snprintf(key, sizeof(key), "%s|%s|%p", kernel, shape, code);
    std::lock_guard<std::mutex> lock(mutex);
    auto [it, inserted] = stats.try_emplace(key);
    Stat &s = it->second;
    if (inserted) {
      s.order = stats.size();
      s.kernel = kernel;
      s.shape = shape;
      s.code = code;
      s.macs = macs;
    }
    ++s.calls;
    s.totalNs += ns;
    s.minNs = std::min(s.minNs, ns);
  }

  /// The report, appended to QOPT_PROFILE's file (`-`: standard error).
  ~Registry() {
    if (stats.empty())
      return;
    const char *target = std::getenv("QOPT_PROFILE");
    bool toStderr = !target || std::strcmp(target, "-") == 0;
    FILE *out = toStderr ? stderr : std::fopen(target, "a");
    if (!out)
      return;
    std::vector<const Stat *> rows;
    int64_t total = 0;
    for (auto &entry : stats) {
      rows.push_back(&entry.second);
      total += entry.second.totalNs;
    }
    std::sort(rows.begin(), rows.end(),
              [](const Stat *a, const Stat *b) { return a->order < b->order; });
    Dl_info self;
    const char *library = dladdr(reinterpret_cast<void *>(&profiling), &self)
                              ? self.dli_fname
                              : "?";
    std::fprintf(out,
                 "\n## qopt runtime profile: %s (%d threads)\n\n"
                 "Calls of the runtime, in the order of their first call; "
                 "time from entry to return on the calling thread. "
                 "Generated code between the calls is not in it.\n\n"
                 "| # | kernel | shape | calls | total ms | %% | mean us | "
                 "min us | GMAC/s at min |\n"
                 "|---:|---|---|---:|---:|---:|---:|---:|---:|\n",
                 library, qopt_rt_get_num_threads());
    int index = 0;
    for (const Stat *s : rows) {
      std::string shape = s->shape;
      if (s->code)
        shape = codeName(s->code) + (shape.empty() ? "" : " " + shape);
      char rate[32] = "";
      if (s->macs > 0 && s->minNs > 0)
        std::snprintf(rate, sizeof(rate), "%.1f",
                      double(s->macs) / double(s->minNs));
      std::fprintf(out,
                   "| %d | %s | %s | %lld | %.3f | %.1f | %.1f | %.1f | %s |\n",
                   ++index, s->kernel.c_str(), shape.c_str(),
                   static_cast<long long>(s->calls), s->totalNs * 1e-6,
                   total ? 100.0 * s->totalNs / total : 0.0,
                   s->totalNs * 1e-3 / s->calls, s->minNs * 1e-3, rate);
    }
    std::fprintf(out, "| | all | | | %.3f | 100.0 | | | |\n", total * 1e-6);
    if (!toStderr)
      std::fclose(out);
  }

private:
  std::mutex mutex;
  std::map<std::string, Stat> stats;
};

Registry &registry() {
  static Registry r; // reported by its destructor at unload or exit
  return r;
}

} // namespace

void recordProfile(const char *kernel, const char *shape, const void *code,
                   int64_t macs, int64_t ns) {
  registry().add(kernel, shape, code, macs, ns);
}

} // namespace qopt_rt
