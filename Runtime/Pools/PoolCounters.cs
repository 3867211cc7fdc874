using System.Numerics;
using System.Runtime.CompilerServices;

namespace Folios;

/// <summary>
/// A pool's rent and return counts, striped by processor: each processor adds to its own cache line, so threads
/// renting and returning at once do not fight over one counter. Reading sums the stripes.
/// </summary>
internal sealed class PoolCounters
{
    // Per stripe: rents by layout (3), returns by layout (3), pages of folios and mappings rented and returned (order-0
    // rents are one page each, so their pages are their counts). Eight longs: one 64-byte line per stripe.
    private const int Stride = 8;
    private const int LargePagesRented = 6;
    private const int LargePagesReturned = 7;
    private readonly long[] _stripes;
    private readonly int _mask;

    public PoolCounters()
    {
        int stripes = (int)BitOperations.RoundUpToPowerOf2((uint)Environment.ProcessorCount);
        _mask = stripes - 1;
        // One stripe of padding in front, so the first stripe does not share a line with the array's header.
        _stripes = new long[(stripes + 1) * Stride];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void CountRent(BufferLayout layout, int pages)
    {
        ref long stripe = ref Stripe();
        Interlocked.Increment(ref Unsafe.Add(ref stripe, (int)layout));
        if (layout != BufferLayout.Pages)
            Interlocked.Add(ref Unsafe.Add(ref stripe, LargePagesRented), pages);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void CountReturn(BufferLayout layout, int pages)
    {
        ref long stripe = ref Stripe();
        Interlocked.Increment(ref Unsafe.Add(ref stripe, 3 + (int)layout));
        if (layout != BufferLayout.Pages)
            Interlocked.Add(ref Unsafe.Add(ref stripe, LargePagesReturned), pages);
    }

    public long Rents(BufferLayout layout) => Sum((int)layout);

    public long Returns => Sum(3) + Sum(4) + Sum(5);

    /// <summary>Pages rented and not yet returned.</summary>
    public long OutstandingPages =>
        Sum((int)BufferLayout.Pages) - Sum(3 + (int)BufferLayout.Pages) + Sum(LargePagesRented) - Sum(LargePagesReturned);

    private long Sum(int field)
    {
        long sum = 0;
        for (int stripe = 1; stripe <= _mask + 1; stripe++)
            sum += Volatile.Read(ref _stripes[(stripe * Stride) + field]);
        return sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ref long Stripe() => ref _stripes[((Thread.GetCurrentProcessorId() & _mask) + 1) * Stride];
}
