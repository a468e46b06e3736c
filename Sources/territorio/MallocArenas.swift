#if canImport(Glibc)
    import CMalloc
#endif

/// glibc's allocator gives each thread that allocates its own arena and keeps the pages freed
/// in it for that arena's later use. With two subproblems solved side by side
/// (`DispatchTaskRunner`) the national 140 plan's peak then varied from 281 to 398 MiB between
/// runs of the same input; with one arena (`mallopt(M_ARENA_MAX, 1)`) it stayed at 244–247 MiB,
/// in the same time (2026-12-02). Called by `propose` before it starts any thread; a no-op
/// where glibc is not the C library.
enum MallocArenas {
    static func useOne() {
        #if canImport(Glibc)
            _ = mallopt(M_ARENA_MAX, 1)
        #endif
    }
}
