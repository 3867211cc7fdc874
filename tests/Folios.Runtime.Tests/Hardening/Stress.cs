using System.Collections.Concurrent;

namespace Folios.Tests.Hardening;

/// <summary>
/// Threads that allocate folios of orders 0-3, tag every page with its owner, free across threads, map and
/// unmap pages and use extent buffers of every policy; every tag is checked before a free, and at the end the
/// allocator must account for every page exactly.
/// </summary>
internal static class Stress
{
    public static void Run(int threads, TimeSpan duration)
    {
        const int pages = 2048;
        using var allocator = new PageAllocator(new PageAllocatorOptions
        {
            ArenaBytes = 4096L * pages,
            MaxOrder = 6,
            ReservePages = 16,
            FaultInjection = new FailPageAlloc { MinOrder = 3, Probability = 20, Seed = 7 },
        });
        var handOff = new ConcurrentQueue<(Folio Folio, ulong Tag)>();
        long operations = 0;
        var deadline = DateTime.UtcNow + duration;
        var workers = Enumerable.Range(1, threads).Select(id => new Thread(() =>
        {
            var random = new Random(id);
            var mine = new List<(Folio Folio, ulong Tag)>();
            ulong serial = 0;
            while (DateTime.UtcNow < deadline)
            {
                Interlocked.Increment(ref operations);
                switch (random.Next(6))
                {
                    case 0 or 1 when mine.Count < 16:
                        if (allocator.TryAllocate(random.Next(4), AllocFlags.NoWarn, out var folio))
                        {
                            ulong tag = ((ulong)id << 48) | ++serial;
                            Tag(folio, tag);
                            mine.Add((folio, tag));
                        }
                        break;
                    case 2 when mine.Count > 0:
                        // Hand a folio to whichever thread frees next: frees cross threads and CPU lists.
                        int given = random.Next(mine.Count);
                        handOff.Enqueue(mine[given]);
                        mine.RemoveAt(given);
                        break;
                    case 3:
                        if (handOff.TryDequeue(out var taken))
                            CheckAndFree(allocator, taken);
                        else if (mine.Count > 0)
                        {
                            CheckAndFree(allocator, mine[^1]);
                            mine.RemoveAt(mine.Count - 1);
                        }
                        break;
                    case 4:
                        MapAndCheck(allocator, mine, random);
                        break;
                    default:
                        UseBuffer(allocator, random, id);
                        break;
                }
            }
            foreach (var held in mine)
                CheckAndFree(allocator, held);
        })).ToList();
        workers.ForEach(t => t.Start());
        workers.ForEach(t => t.Join());
        while (handOff.TryDequeue(out var left))
            CheckAndFree(allocator, left);

        var statistics = allocator.Statistics;
        Check(statistics.FreePages == pages, $"{pages - statistics.FreePages} page(s) unaccounted for after the run");
        Check(statistics.FreeBlocksPerOrder[6] == pages >> 6, "free pages did not merge back into whole order-6 blocks");
        Check(statistics.LiveMappings == 0 && statistics.MappedPages == 0, "mappings left live");
        Console.WriteLine($"stress: {threads} threads, {operations} operations, {statistics.AllocationsPerOrder.Sum()} allocations");
    }

    private static void Tag(Folio folio, ulong tag)
    {
        var span = folio.Span;
        for (int page = 0; page < folio.PageCount; page++)
            BitConverter.TryWriteBytes(span[(page * 4096)..], tag + (ulong)page);
    }

    private static void CheckAndFree(PageAllocator allocator, (Folio Folio, ulong Tag) held)
    {
        var span = held.Folio.Span;
        for (int page = 0; page < held.Folio.PageCount; page++)
            Check(BitConverter.ToUInt64(span[(page * 4096)..]) == held.Tag + (ulong)page, $"page {page} of {held.Folio} lost its tag: another owner wrote it");
        allocator.Free(held.Folio);
    }

    private static void MapAndCheck(PageAllocator allocator, List<(Folio Folio, ulong Tag)> mine, Random random)
    {
        var orderZero = mine.Where(h => h.Folio.Order == 0).Take(1 + random.Next(4)).ToList();
        if (orderZero.Count == 0)
            return;
        using var view = allocator.Map(orderZero.Select(h => h.Folio).ToArray());
        for (int i = 0; i < orderZero.Count; i++)
            Check(BitConverter.ToUInt64(view.Span[(i * 4096)..]) == orderZero[i].Tag, "a mapped view shows another page than the one mapped");
    }

    private static void UseBuffer(PageAllocator allocator, Random random, int id)
    {
        var policy = (AllocationPolicy)random.Next(4);
        ExtentBuffer buffer;
        try
        {
            buffer = ExtentBuffer.Allocate(allocator, 16384, policy, policy == AllocationPolicy.SingleFolio ? AllocFlags.NoWarn : AllocFlags.NoFail);
        }
        catch (PageAllocationException)
        {
            return; // SingleFolio at order 2 may fail, and FolioOrMapped may find the mapping budget spent
        }
        using (buffer)
        {
            for (int offset = 4092; offset < 16380; offset += 4096)
                buffer.WriteUInt64LittleEndian(offset, (ulong)id * 1_000_003 + (ulong)offset);
            for (int offset = 4092; offset < 16380; offset += 4096)
                Check(buffer.ReadUInt64LittleEndian(offset) == (ulong)id * 1_000_003 + (ulong)offset, "a buffer lost a straddling write");
        }
    }

    private static void Check(bool condition, string message)
    {
        if (!condition)
            throw new InvalidOperationException(message);
    }
}
