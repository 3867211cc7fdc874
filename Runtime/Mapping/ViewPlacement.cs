namespace Folios;

/// <summary>
/// The address space behind views: a range reserved for a view, the arena's pages placed in it with
/// <c>mmap(MAP_SHARED | MAP_FIXED)</c>, and the range's release. Only the system calls: which pages are mapped and
/// the budget are <see cref="MappingTable"/>'s, and when to release is the allocator's.
/// </summary>
internal static class ViewPlacement
{
    /// <summary>Reserves an address range and places each run of arena-consecutive pages in it; 0 on failure, with
    /// nothing left reserved.</summary>
    public static nint ReserveAndPlace(Arena arena, Folio[] folios, int pageCount, int pageShift)
    {
        int fd = arena.AcquireDescriptor();
        try
        {
            return ReserveAndPlace(fd, folios, pageCount, pageShift);
        }
        finally
        {
            arena.ReleaseDescriptor();
        }
    }

    /// <summary>Gives an address range back to the process.</summary>
    public static void Release(nint address, int length) => Libc.Munmap(address, (nuint)length);

    public static void Release(List<MappingTable.AddressRange> ranges)
    {
        foreach (var range in ranges)
            Release(range.Address, range.Length);
    }

    private static nint ReserveAndPlace(int fd, Folio[] folios, int pageCount, int pageShift)
    {
        nuint length = (nuint)pageCount << pageShift;
        nint reservation = Libc.Mmap(0, length, Libc.ProtNone, Libc.MapPrivate | Libc.MapAnonymous | Libc.MapNoReserve, -1, 0);
        if (reservation == Libc.MapFailed)
            return 0;

        int placed = 0;
        for (int i = 0; i < folios.Length;)
        {
            // Pages adjacent in the arena share one mmap call and one VMA.
            int runStart = folios[i].FirstPage, runPages = folios[i].PageCount;
            for (i++; i < folios.Length && folios[i].FirstPage == runStart + runPages; i++)
                runPages += folios[i].PageCount;
            nint target = reservation + (placed << pageShift);
            nint result = Libc.Mmap(target, (nuint)runPages << pageShift, Libc.ProtRead | Libc.ProtWrite,
                Libc.MapShared | Libc.MapFixed, fd, (long)runStart << pageShift);
            if (result != target)
            {
                Libc.Munmap(reservation, length);
                return 0;
            }
            placed += runPages;
        }
        return reservation;
    }
}
