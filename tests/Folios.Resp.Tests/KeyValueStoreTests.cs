using System.Buffers;
using System.Text;

namespace Folios.Resp.Tests;

/// <summary>The store against a dictionary model: small values packed by size class, large ones in pages of their own.</summary>
public class KeyValueStoreTests
{
    [Fact]
    public void Values_of_every_size_read_back_as_the_model_through_sets_overwrites_and_deletes()
    {
        using var allocator = new PageAllocator(new PageAllocatorOptions { ArenaBytes = 32 << 20 });
        using var store = new KeyValueStore(allocator);
        var model = new Dictionary<string, byte[]>();
        var random = new Random(5);
        for (int step = 0; step < 20_000; step++)
        {
            string key = $"key:{random.Next(3000)}";
            if (random.Next(4) == 0)
            {
                Assert.Equal(model.Remove(key), store.Delete(Encoding.ASCII.GetBytes(key)));
                continue;
            }
            var value = new byte[random.Next(8) == 0 ? random.Next(2049, 10_000) : random.Next(0, 2049)];
            random.NextBytes(value);
            Assert.True(store.Set(Encoding.ASCII.GetBytes(key), new ReadOnlySequence<byte>(value), 0));
            model[key] = value;
        }
        Assert.Equal(model.Count, store.Count);
        foreach (var (key, value) in model)
            Assert.Equal(value, Get(store, key));
        Assert.Null(Get(store, "key:missing"));
    }

    [Fact]
    public void Small_values_share_pages_and_freed_slots_are_reused()
    {
        using var allocator = new PageAllocator(new PageAllocatorOptions { ArenaBytes = 1 << 20 });
        using var store = new KeyValueStore(allocator);
        for (int i = 0; i < 1000; i++)
            Assert.True(store.Set(Encoding.ASCII.GetBytes($"k{i}"), new ReadOnlySequence<byte>("xxx"u8.ToArray()), 0));
        // 1000 values of 3 bytes in 16-byte slots: a page per shard (64) at most, not a page per value.
        int pages = allocator.Statistics.AllocatedPages;
        Assert.InRange(pages, 4, 64);
        for (int i = 0; i < 1000; i++)
            store.Delete(Encoding.ASCII.GetBytes($"k{i}"));
        for (int i = 0; i < 1000; i++)
            store.Set(Encoding.ASCII.GetBytes($"k{i}"), new ReadOnlySequence<byte>("yyyy"u8.ToArray()), 0);
        Assert.Equal(pages, allocator.Statistics.AllocatedPages);
        Assert.Equal("yyyy"u8.ToArray(), Get(store, "k999"));
        store.Dispose();
        Assert.Equal(0, allocator.Statistics.AllocatedPages);
    }

    [Fact]
    public void Counters_count_in_place_and_expiry_survives_increments()
    {
        using var allocator = new PageAllocator(new PageAllocatorOptions { ArenaBytes = 1 << 20 });
        using var store = new KeyValueStore(allocator);
        store.Set("n"u8, new ReadOnlySequence<byte>("99999999999999"u8.ToArray()), 60_000);
        Assert.Equal(IncrementStatus.Done, store.Increment("n"u8, out long value));
        Assert.Equal(100_000_000_000_000, value);
        for (int i = 0; i < 10; i++)
            store.Increment("n"u8, out value);
        Assert.Equal("100000000000010"u8.ToArray(), Get(store, "n"));
        Assert.InRange(store.TimeToLive("n"u8), 1, 60_000);
        store.Set("n"u8, new ReadOnlySequence<byte>("-9223372036854775808"u8.ToArray()), 0);
        Assert.Equal(IncrementStatus.Done, store.Increment("n"u8, out value));
        Assert.Equal(long.MinValue + 1, value);
        store.Set("big"u8, new ReadOnlySequence<byte>(new byte[3000]), 0);
        Assert.Equal(IncrementStatus.NotAnInteger, store.Increment("big"u8, out _));
    }

    private static byte[]? Get(KeyValueStore store, string key)
    {
        var output = new ArrayBufferWriter<byte>();
        store.WriteValue(Encoding.ASCII.GetBytes(key), output);
        string reply = Encoding.Latin1.GetString(output.WrittenSpan);
        if (reply == "$-1\r\n")
            return null;
        int header = reply.IndexOf("\r\n", StringComparison.Ordinal) + 2;
        Assert.Equal(int.Parse(reply[1..(header - 2)]), output.WrittenCount - header - 2);
        return output.WrittenSpan[header..^2].ToArray();
    }
}
