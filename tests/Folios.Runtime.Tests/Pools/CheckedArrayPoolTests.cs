using System.Buffers;
using System.Runtime.CompilerServices;

namespace Folios.Tests.Pools;

/// <summary>CheckedArrayPool: double and foreign returns, writes after return, stacks, and races.</summary>
public class CheckedArrayPoolTests
{
    [Fact]
    public void Rent_and_return_round_trip_and_the_array_is_poisoned_once_returned()
    {
        var pool = new CheckedArrayPool<byte>();
        var array = pool.Rent(100);
        Assert.True(array.Length >= 100);
        array.AsSpan().Fill(1);
        pool.Return(array);
        Assert.Equal(-1, array.AsSpan().IndexOfAnyExcept(CheckedArrayPool<byte>.PoisonByte));
        pool.VerifyReturnedArrays();
        var again = pool.Rent(100);
        Assert.Same(array, again);
        pool.Return(again);
    }

    [Fact]
    public void A_double_return_throws_and_changes_nothing()
    {
        var pool = new CheckedArrayPool<byte>();
        var array = pool.Rent(64);
        pool.Return(array);
        var error = Assert.Throws<InvalidOperationException>(() => pool.Return(array));
        Assert.Contains("returned twice", error.Message);
        Assert.Contains("captureStacks", error.Message);
        // Still returned once: the next rent gets it back, poison intact.
        Assert.Same(array, pool.Rent(64));
    }

    [Fact]
    public void With_stacks_the_report_names_where_the_array_was_rented_and_returned()
    {
        var pool = new CheckedArrayPool<int>(captureStacks: true);
        var array = RentHere(pool);
        ReturnHere(pool, array);
        var error = Assert.Throws<InvalidOperationException>(() => pool.Return(array));
        Assert.Contains(nameof(RentHere), error.Message);
        Assert.Contains(nameof(ReturnHere), error.Message);
        Assert.DoesNotContain("captureStacks", error.Message);
    }

    [Fact]
    public void Returning_an_array_this_pool_never_rented_throws()
    {
        var pool = new CheckedArrayPool<byte>();
        var other = new CheckedArrayPool<byte>();
        Assert.Equal("array", Assert.Throws<ArgumentException>(() => pool.Return(new byte[16])).ParamName);
        Assert.Equal("array", Assert.Throws<ArgumentException>(() => pool.Return(other.Rent(16))).ParamName);
        Assert.Equal("array", Assert.Throws<ArgumentNullException>(() => pool.Return(null!)).ParamName);
    }

    [Fact]
    public void A_write_after_return_is_reported_at_the_next_rent_of_that_array_which_is_then_dropped()
    {
        var pool = new CheckedArrayPool<byte>(captureStacks: true);
        var array = RentHere(pool);
        pool.Return(array);
        array[5] = 42; // the bug: still writing after the return

        var error = Assert.Throws<InvalidOperationException>(() => pool.Rent(array.Length));
        Assert.Contains("written after it was returned: element 5 changed", error.Message);
        Assert.Contains(nameof(RentHere), error.Message);
        var next = pool.Rent(array.Length);
        Assert.NotSame(array, next);
        pool.Return(next);
    }

    [Fact]
    public void VerifyReturnedArrays_reports_every_written_array_once_and_they_are_never_handed_out_again()
    {
        var pool = new CheckedArrayPool<long>();
        var clean = pool.Rent(8);
        var dirty = pool.Rent(8);
        pool.Return(clean);
        pool.Return(dirty);
        pool.VerifyReturnedArrays();
        dirty[3] = 1;

        var error = Assert.Throws<InvalidOperationException>(pool.VerifyReturnedArrays);
        Assert.Contains("array of 16 Int64 was written after it was returned: element 3 changed", error.Message);
        pool.VerifyReturnedArrays();
        var rented = new[] { pool.Rent(8), pool.Rent(8) };
        Assert.DoesNotContain(dirty, rented);
        Assert.Contains(clean, rented);
    }

    [Fact]
    public void Arrays_of_references_are_cleared_on_return_and_a_later_store_is_caught()
    {
        var pool = new CheckedArrayPool<string>();
        var array = pool.Rent(4);
        array[0] = "kept";
        pool.Return(array);
        Assert.Null(array[0]);
        array[2] = "late";
        Assert.Contains("element 2 changed", Assert.Throws<InvalidOperationException>(() => pool.Rent(4)).Message);
    }

    [Fact]
    public void An_array_that_went_back_to_the_inner_pool_directly_is_not_handed_out_twice()
    {
        var inner = ArrayPool<byte>.Create();
        var pool = new CheckedArrayPool<byte>(inner);
        var array = pool.Rent(32);
        inner.Return(array); // bypasses the checked pool: it still counts as rented there
        Assert.Contains("still rented here", Assert.Throws<InvalidOperationException>(() => pool.Rent(32)).Message);
    }

    [Fact]
    public void Empty_arrays_are_shared_by_every_renter_and_not_checked_and_bad_lengths_are_refused()
    {
        var pool = new CheckedArrayPool<byte>();
        var empty = pool.Rent(0);
        Assert.Empty(empty);
        pool.Return(empty);
        pool.Return(empty);
        Assert.Throws<ArgumentOutOfRangeException>(() => pool.Rent(-1));
    }

    [Fact]
    public void Threads_renting_and_returning_at_once_see_no_false_report_and_racing_double_returns_fail_once()
    {
        var pool = new CheckedArrayPool<byte>(ArrayPool<byte>.Create(4096, 4));
        Parallel.For(0, 4, thread =>
        {
            var random = new Random(thread);
            for (int i = 0; i < 5000; i++)
            {
                var array = pool.Rent(random.Next(1, 2048));
                array.AsSpan().Fill((byte)thread);
                Assert.Equal(-1, array.AsSpan().IndexOfAnyExcept((byte)thread));
                pool.Return(array);
            }
        });
        pool.VerifyReturnedArrays();

        int failures = 0;
        for (int i = 0; i < 200; i++)
        {
            var array = pool.Rent(100);
            using var start = new Barrier(2);
            void ReturnIt()
            {
                start.SignalAndWait();
                try
                {
                    pool.Return(array);
                }
                catch (InvalidOperationException)
                {
                    Interlocked.Increment(ref failures);
                }
            }
            Parallel.Invoke(ReturnIt, ReturnIt);
        }
        Assert.Equal(200, failures);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static T[] RentHere<T>(ArrayPool<T> pool) => pool.Rent(16);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ReturnHere<T>(ArrayPool<T> pool, T[] array) => pool.Return(array);
}
