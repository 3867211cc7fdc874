namespace Folios.Tests.Allocation;

public class ConcurrencyTests
{
    [Fact]
    public void Two_threads_allocating_and_freeing_leave_exact_accounting()
    {
        using var allocator = new PageAllocator(new PageAllocatorOptions { ArenaBytes = 256 * 4096, MaxOrder = 6, ReservePages = 0 });
        long allocated = 0;
        void Work(int seed)
        {
            var random = new Random(seed);
            var mine = new List<Folio>();
            for (int i = 0; i < 20_000; i++)
            {
                if (mine.Count < 20 && random.Next(3) != 0 && allocator.TryAllocate(random.Next(4), AllocFlags.NoWarn, out var folio))
                {
                    folio.Span[0] = (byte)seed; // each thread owns its blocks exclusively
                    mine.Add(folio);
                    Interlocked.Increment(ref allocated);
                }
                else if (mine.Count > 0)
                {
                    int index = random.Next(mine.Count);
                    Assert.Equal((byte)seed, mine[index].Span[0]);
                    allocator.Free(mine[index]);
                    mine.RemoveAt(index);
                }
            }
            foreach (var folio in mine)
                allocator.Free(folio);
        }

        Parallel.Invoke(() => Work(1), () => Work(2));

        var stats = allocator.Statistics;
        Assert.Equal(256, stats.FreePages);
        Assert.Equal(4, stats.FreeBlocksPerOrder[6]);
        Assert.Equal(allocated, stats.AllocationsPerOrder.Sum());
        Assert.True(allocated > 10_000);
    }
}
