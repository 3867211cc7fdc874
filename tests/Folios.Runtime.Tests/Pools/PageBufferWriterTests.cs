using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;

namespace Folios.Tests.Pools;

/// <summary>PageBufferWriter: the IBufferWriter contract, a byte[] model, Utf8JsonWriter, a PipeWriter copy, and the
/// pages it takes and gives back.</summary>
public class PageBufferWriterTests
{
    private static PageAllocator Allocator(int pages = 64) =>
        new(new PageAllocatorOptions { ArenaBytes = 4096L * pages, MaxOrder = 4, ReservePages = 0 });

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 1)]
    [InlineData(4096, 4096)]
    [InlineData(4097, 4097)]
    [InlineData(50_000, 50_000)]
    public void GetSpan_and_GetMemory_give_at_least_the_hint_and_at_least_one_byte(int hint, int atLeast)
    {
        using var allocator = Allocator();
        using var writer = new PageBufferWriter(allocator);
        writer.GetSpan(100);
        writer.Advance(100); // from here on the page has 3996 bytes left
        Assert.True(writer.GetSpan(hint).Length >= atLeast);
        Assert.True(writer.GetMemory(hint).Length >= atLeast);
    }

    [Fact]
    public void Advance_past_what_was_given_or_negative_throws_and_changes_nothing()
    {
        using var allocator = Allocator();
        using var writer = new PageBufferWriter(allocator);
        Assert.Equal("count", Assert.Throws<ArgumentOutOfRangeException>(() => writer.Advance(1)).ParamName);
        writer.Advance(0);
        int given = writer.GetSpan(10).Length;
        Assert.Equal(4096, given);
        writer.Advance(4000);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => writer.Advance(97));
        Assert.Contains("96 bytes", error.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => writer.Advance(-1));
        writer.Advance(96);
        Assert.Equal(4096, writer.WrittenCount);
        Assert.Equal("sizeHint", Assert.Throws<ArgumentOutOfRangeException>(() => writer.GetSpan(-1)).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => writer.GetMemory(writer.MaxSizeHint + 1));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Random_writes_of_every_size_read_back_as_the_model(int seed)
    {
        using var allocator = Allocator(pages: 256);
        using var writer = new PageBufferWriter(allocator);
        var model = new MemoryStream();
        var random = new Random(seed);
        for (int step = 0; step < 300; step++)
        {
            int hint = random.Next(4) switch { 0 => 0, 1 => random.Next(1, 64), 2 => random.Next(1, 4096), _ => random.Next(4096, 20_000) };
            bool asMemory = random.Next(2) == 0;
            var span = asMemory ? writer.GetMemory(hint).Span : writer.GetSpan(hint);
            int count = random.Next(0, Math.Min(span.Length, Math.Max(hint, 1)) + 1);
            random.NextBytes(span[..count]);
            model.Write(span[..count]);
            writer.Advance(count);
            Assert.Equal(model.Length, writer.WrittenCount);
        }
        var sequence = writer.AsSequence();
        Assert.Equal(model.ToArray(), sequence.ToArray());
        Assert.Equal((model.Length + 4095) / 4096, CountSegments(sequence));
        Assert.True(writer.PageCount - (model.Length + 4095) / 4096 is 0 or 1, $"{writer.PageCount} pages for {model.Length} bytes");
    }

    [Fact]
    public void Utf8JsonWriter_writes_a_document_across_pages_that_parses_back_and_matches_a_plain_serializer()
    {
        using var allocator = Allocator(pages: 256);
        using var writer = new PageBufferWriter(allocator);
        var items = Enumerable.Range(0, 3000).Select(i => new { id = i, name = $"item-{i}", tags = new[] { "a", new string('x', i % 300) } }).ToArray();
        using (var json = new Utf8JsonWriter(writer))
            JsonSerializer.Serialize(json, items);

        Assert.True(writer.WrittenCount > 10 * 4096);
        var sequence = writer.AsSequence();
        Assert.False(sequence.IsSingleSegment);
        Assert.Equal(JsonSerializer.SerializeToUtf8Bytes(items), sequence.ToArray());
        using var document = JsonDocument.Parse(sequence);
        Assert.Equal("item-2999", document.RootElement[2999].GetProperty("name").GetString());
    }

    [Fact]
    public async Task What_was_written_copies_into_a_PipeWriter_segment_by_segment()
    {
        using var allocator = Allocator(pages: 64);
        using var writer = new PageBufferWriter(allocator);
        var payload = new byte[40_000];
        new Random(7).NextBytes(payload);
        writer.Write(payload);

        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 0));
        foreach (var segment in writer.AsSequence())
        {
            var target = pipe.Writer.GetSpan(segment.Length);
            segment.Span.CopyTo(target);
            pipe.Writer.Advance(segment.Length);
        }
        await pipe.Writer.FlushAsync();
        await pipe.Writer.CompleteAsync();
        var result = await pipe.Reader.ReadAsync();
        while (!result.IsCompleted)
        {
            pipe.Reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
            result = await pipe.Reader.ReadAsync();
        }
        Assert.Equal(payload, result.Buffer.ToArray());
        pipe.Reader.AdvanceTo(result.Buffer.End);
        await pipe.Reader.CompleteAsync();
    }

    [Fact]
    public void DetachExtentBuffer_hands_the_pages_over_for_the_helpers_and_leaves_the_writer_empty()
    {
        using var allocator = Allocator();
        using var writer = new PageBufferWriter(allocator);
        var payload = new byte[10_000];
        new Random(9).NextBytes(payload);
        writer.Write(payload);
        writer.GetSpan(); // an empty page beyond the data is freed, not handed over

        using (var buffer = writer.DetachExtentBuffer())
        {
            Assert.Equal(10_000, buffer.Length);
            Assert.Equal(BitConverter.ToUInt32(payload, 4094), buffer.ReadUInt32LittleEndian(4094));
            var read = new byte[10_000];
            buffer.Read(0, read);
            Assert.Equal(payload, read);
            Assert.Equal((0L, 0), (writer.WrittenCount, writer.PageCount));
            Assert.Equal(3, allocator.Statistics.AllocatedPages);
        }
        Assert.Equal(0, allocator.Statistics.AllocatedPages);
        Assert.Throws<InvalidOperationException>(writer.DetachExtentBuffer);
        writer.Write(payload.AsSpan(0, 10));
        Assert.Equal(payload.AsSpan(0, 10).ToArray(), writer.AsSequence().ToArray());
    }

    [Fact]
    public void Reset_gives_the_pages_back_and_sequences_from_before_refuse_to_be_read()
    {
        using var allocator = Allocator();
        using var writer = new PageBufferWriter(allocator);
        writer.Write(new byte[9000]);
        var before = writer.AsSequence();
        var memory = writer.GetMemory();
        Assert.Equal(3, allocator.Statistics.AllocatedPages);
        writer.Reset();
        Assert.Equal(0, allocator.Statistics.AllocatedPages);
        Assert.Equal((0L, 0), (writer.WrittenCount, writer.PageCount));
        Assert.Throws<ObjectDisposedException>(() => before.First.Span.Length);
        Assert.Throws<ObjectDisposedException>(() => memory.Span.Length);
        Assert.True(writer.AsSequence().IsEmpty);
        writer.Write(new byte[] { 1, 2, 3 });
        Assert.Equal(new byte[] { 1, 2, 3 }, writer.AsSequence().ToArray());
    }

    [Fact]
    public void A_sequence_taken_earlier_stays_as_it_was_while_writing_goes_on()
    {
        using var allocator = Allocator();
        using var writer = new PageBufferWriter(allocator);
        writer.Write(new byte[5000]);
        var early = writer.AsSequence();
        writer.Write(Enumerable.Repeat((byte)1, 10_000).ToArray());
        Assert.Equal(5000, early.Length);
        Assert.Equal(-1, early.ToArray().AsSpan().IndexOfAnyExcept((byte)0));
        Assert.Equal(15_000, writer.AsSequence().Length);
    }

    [Fact]
    public void After_Dispose_every_call_throws_and_Dispose_is_idempotent()
    {
        using var allocator = Allocator();
        var writer = new PageBufferWriter(allocator);
        writer.Write(new byte[100]);
        writer.GetSpan(10_000); // the scratch array goes back too
        writer.Dispose();
        writer.Dispose();
        Assert.Equal(0, allocator.Statistics.AllocatedPages);
        Assert.Throws<ObjectDisposedException>(() => writer.GetSpan());
        Assert.Throws<ObjectDisposedException>(() => writer.GetMemory());
        Assert.Throws<ObjectDisposedException>(() => writer.Advance(0));
        Assert.Throws<ObjectDisposedException>(() => writer.AsSequence());
        Assert.Throws<ObjectDisposedException>(writer.Reset);
        Assert.Throws<ObjectDisposedException>(writer.DetachExtentBuffer);
        Assert.Equal("allocator", Assert.Throws<ArgumentNullException>(() => new PageBufferWriter(null!)).ParamName);
    }

    [Fact]
    public void A_staged_write_that_needs_more_pages_than_are_free_fails_whole_and_loses_nothing()
    {
        using var allocator = Allocator(pages: 4);
        using var writer = new PageBufferWriter(allocator, noFail: false);
        writer.Write(new byte[4000]);
        var span = writer.GetSpan(20_000);
        span[..20_000].Fill(1);
        Assert.Throws<PageAllocationException>(() => writer.Advance(20_000));
        Assert.Equal(4000, writer.WrittenCount);
        Assert.Equal(1, allocator.Statistics.AllocatedPages);
        writer.Advance(8000);
        Assert.Equal(12_000, writer.WrittenCount);
        Assert.Equal(3, allocator.Statistics.AllocatedPages);
    }

    private static int CountSegments(ReadOnlySequence<byte> sequence)
    {
        int count = 0;
        foreach (var _ in sequence)
            count++;
        return count;
    }
}
