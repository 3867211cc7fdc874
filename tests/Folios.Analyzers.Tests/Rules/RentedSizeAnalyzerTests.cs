using System.Buffers;
using Microsoft.CodeAnalysis.Testing;
using Verify = Folios.Analyzers.Tests.Verifier<Folios.Analyzers.Rules.RentedSizeAnalyzer, Microsoft.CodeAnalysis.Testing.EmptyCodeFixProvider>;

namespace Folios.Analyzers.Tests.Rules;

/// <summary>FOLIO013 in the shapes serializers, protocol writers and encoders take; every test compiles without Folios referenced.</summary>
public class RentedSizeAnalyzerTests
{
    [Theory]
    // The whole array read as data: written, decoded, hashed, encoded, copied, compared, searched, enumerated.
    [InlineData("var buffer = ArrayPool<byte>.Shared.Rent(n); stream.Write({|FOLIO013:buffer|});")]
    // StackExchange.Redis' TestHarness: a copy of n bytes, then the whole lease passed as the data to compare.
    [InlineData("var lease = ArrayPool<byte>.Shared.Rent(n); destination.AsSpan(0, n).CopyTo(lease); Compare(lease.AsMemory(0, n), {|FOLIO013:lease|});")]
    [InlineData("var buffer = ArrayPool<byte>.Shared.Rent(n); stream.Write({|FOLIO013:buffer.AsSpan()|});")]
    [InlineData("var buffer = ArrayPool<byte>.Shared.Rent(n); _ = stream.WriteAsync({|FOLIO013:buffer.AsMemory()|});")]
    [InlineData("var buffer = ArrayPool<byte>.Shared.Rent(n); text = encoding.GetString({|FOLIO013:buffer|});")]
    [InlineData("var buffer = ArrayPool<byte>.Shared.Rent(n); var hash = SHA256.HashData({|FOLIO013:buffer|});")]
    [InlineData("var buffer = ArrayPool<byte>.Shared.Rent(n); text = Convert.ToBase64String({|FOLIO013:buffer|});")]
    [InlineData("var buffer = ArrayPool<byte>.Shared.Rent(n); var copy = {|FOLIO013:buffer|}.ToArray();")]
    [InlineData("var buffer = ArrayPool<byte>.Shared.Rent(n); {|FOLIO013:buffer|}.CopyTo(destination, 0);")]
    [InlineData("var buffer = ArrayPool<byte>.Shared.Rent(n); count = Parse({|FOLIO013:new ReadOnlySpan<byte>(buffer)|});")]
    [InlineData("var buffer = ArrayPool<byte>.Shared.Rent(n); if ({|FOLIO013:buffer.AsSpan()|}.SequenceEqual(destination)) count = 1;")]
    [InlineData("var buffer = ArrayPool<byte>.Shared.Rent(n); count = {|FOLIO013:buffer.AsSpan()|}.IndexOf((byte)0);")]
    [InlineData("var buffer = ArrayPool<byte>.Shared.Rent(n); foreach (var b in {|FOLIO013:buffer|}) count += b;")]
    [InlineData("var buffer = ArrayPool<byte>.Shared.Rent(n); stream.Write({|FOLIO013:buffer.AsSpan(4)|});")]
    [InlineData("var buffer = ArrayPool<byte>.Shared.Rent(n); stream.Write({|FOLIO013:buffer[1..]|});")]
    // Its length as the count of a read, or the bound of a loop that reads the elements.
    [InlineData("var buffer = ArrayPool<byte>.Shared.Rent(n); stream.Write(buffer, 0, {|FOLIO013:buffer.Length|});")]
    [InlineData("var buffer = ArrayPool<byte>.Shared.Rent(n); stream.Write(buffer.AsSpan(0, {|FOLIO013:buffer.Length|}));")]
    [InlineData("var buffer = ArrayPool<byte>.Shared.Rent(n); stream.Write(buffer, 4, {|FOLIO013:buffer.Length|} - 4);")]
    [InlineData("var buffer = ArrayPool<byte>.Shared.Rent(n); text = encoding.GetString(buffer, 0, {|FOLIO013:buffer.Length|} - 1);")]
    [InlineData("var buffer = ArrayPool<byte>.Shared.Rent(n); int length = buffer.Length; stream.Write(buffer, 0, {|FOLIO013:length|});")]
    [InlineData("var buffer = ArrayPool<byte>.Shared.Rent(n); Buffer.BlockCopy(buffer, 0, destination, 0, {|FOLIO013:buffer.Length|});")]
    [InlineData("var buffer = ArrayPool<byte>.Shared.Rent(n); Array.Copy(buffer, destination, {|FOLIO013:buffer.Length|});")]
    [InlineData("var buffer = ArrayPool<byte>.Shared.Rent(n); for (int i = 0; i < {|FOLIO013:buffer.Length|}; i++) count += buffer[i];")]
    [InlineData("var buffer = ArrayPool<byte>.Shared.Rent(n); int i = 0; while (i < {|FOLIO013:buffer.Length|}) { count = count * 31 + buffer[i]; i++; }")]
    // Filled to its end from a stream: more is read than the message holds.
    [InlineData("var buffer = ArrayPool<byte>.Shared.Rent(n); stream.ReadExactly({|FOLIO013:buffer|}); count = Parse(buffer.AsSpan(0, n));")]
    // Aliases: a span or read-only span local, a ref local.
    [InlineData("var buffer = ArrayPool<byte>.Shared.Rent(n); var span = buffer.AsSpan(); stream.Write({|FOLIO013:span|});")]
    [InlineData("var buffer = ArrayPool<byte>.Shared.Rent(n); ReadOnlySpan<byte> view = buffer; count = Parse({|FOLIO013:view|});")]
    [InlineData("var buffer = ArrayPool<byte>.Shared.Rent(n); ref byte[] alias = ref buffer; stream.Write({|FOLIO013:alias|});")]
    // Written in part only: what a call returned, a copy, a fixed-size write.
    [InlineData("var buffer = ArrayPool<byte>.Shared.Rent(n); int written = Encode(text, buffer); stream.Write({|FOLIO013:buffer|});")]
    [InlineData("var buffer = ArrayPool<byte>.Shared.Rent(n); destination.CopyTo(buffer, 0); stream.Write({|FOLIO013:buffer|});")]
    [InlineData("var buffer = ArrayPool<byte>.Shared.Rent(n); BinaryPrimitives.WriteInt32LittleEndian(buffer, n); stream.Write({|FOLIO013:buffer|});")]
    // Any ArrayPool: an instance, one made by Create, a subclass; a constant size the framework's pools round up.
    [InlineData("var buffer = _pool.Rent(n); stream.Write({|FOLIO013:buffer|});")]
    [InlineData("var pool = ArrayPool<byte>.Create(); var buffer = pool.Rent(count); stream.Write({|FOLIO013:buffer|});")]
    [InlineData("var buffer = new SlabPool().Rent(n); stream.Write({|FOLIO013:buffer|});")]
    [InlineData("var buffer = ArrayPool<byte>.Shared.Rent(10); stream.Write({|FOLIO013:buffer|});")]
    [InlineData("var buffer = ArrayPool<byte>.Shared.Rent(3000); stream.Write({|FOLIO013:buffer|});")]
    // Arrays that may come from the pool: the pooled path reads stale data.
    [InlineData("byte[]? rented = null; Span<byte> span = n <= 256 ? stackalloc byte[256] : (rented = ArrayPool<byte>.Shared.Rent(n)); stream.Write({|FOLIO013:span|}); if (rented != null) ArrayPool<byte>.Shared.Return(rented);")]
    [InlineData("byte[] data = n > 1024 ? ArrayPool<byte>.Shared.Rent(n) : new byte[n]; stream.Write({|FOLIO013:data|});")]
    [InlineData("byte[] data = _cached ?? ArrayPool<byte>.Shared.Rent(n); stream.Write({|FOLIO013:data|});")]
    // A check that says nothing of the exact size.
    [InlineData("var buffer = ArrayPool<byte>.Shared.Rent(n); if (buffer.Length >= n) stream.Write({|FOLIO013:buffer|});")]
    [InlineData("var buffer = ArrayPool<byte>.Shared.Rent(n); if (buffer.Length > count) stream.Write({|FOLIO013:buffer|});")]
    [InlineData("var sessions = ArrayPool<string>.Shared.Rent(n); int filled = 0; foreach (var name in text.Split(',')) sessions[filled++] = name; IEnumerable<string> all = filled > 0 ? sessions : sessions.Take(filled); foreach (var name in {|FOLIO013:all|}) count += name.Length;")]
    // Other element types: chars into strings and writers, numbers into sequences.
    [InlineData("var chars = ArrayPool<char>.Shared.Rent(n); text = new string({|FOLIO013:chars|});")]
    [InlineData("var chars = ArrayPool<char>.Shared.Rent(n); text = new string(chars, 0, {|FOLIO013:chars.Length|});")]
    [InlineData("var chars = ArrayPool<char>.Shared.Rent(n); text = {|FOLIO013:chars.AsSpan()|}.ToString();")]
    [InlineData("var chars = ArrayPool<char>.Shared.Rent(n); writer.Write({|FOLIO013:chars|});")]
    [InlineData("var chars = ArrayPool<char>.Shared.Rent(n); text = new StringBuilder().Append({|FOLIO013:chars|}).ToString();")]
    [InlineData("var numbers = ArrayPool<int>.Shared.Rent(n); text = string.Join(\",\", {|FOLIO013:numbers|});")]
    [InlineData("var numbers = ArrayPool<int>.Shared.Rent(n); count = {|FOLIO013:numbers|}.Sum();")]
    [InlineData("var numbers = ArrayPool<int>.Shared.Rent(n); Array.Sort({|FOLIO013:numbers|});")]
    public Task Reports_a_rented_buffer_taken_as_the_size_asked_for(string body) => Verify.Analyze(InMethod(body), withRuntime: false);

    [Theory]
    // Only the size asked for, or what was written.
    [InlineData("var buffer = ArrayPool<byte>.Shared.Rent(n); stream.Write(buffer, 0, n);")]
    [InlineData("var buffer = ArrayPool<byte>.Shared.Rent(n); stream.Write(buffer.AsSpan(0, n));")]
    [InlineData("var buffer = ArrayPool<byte>.Shared.Rent(n); var span = buffer.AsSpan(0, n); stream.Write(span);")]
    [InlineData("var buffer = ArrayPool<byte>.Shared.Rent(n); int read = stream.Read(buffer, 0, buffer.Length); stream.Write(buffer, 0, read);")]
    [InlineData("var buffer = ArrayPool<byte>.Shared.Rent(n); int read = stream.Read(buffer); count = Parse(buffer.AsSpan(0, read));")]
    [InlineData("var buffer = ArrayPool<byte>.Shared.Rent(n); int written = Encode(text, buffer); stream.Write(buffer, 0, written);")]
    [InlineData("var buffer = ArrayPool<byte>.Shared.Rent(n); stream.ReadExactly(buffer.AsSpan(0, n)); count = Parse(buffer.AsSpan(0, n));")]
    [InlineData("var buffer = ArrayPool<byte>.Shared.Rent(n); text = encoding.GetString(buffer, 0, count);")]
    [InlineData("var buffer = ArrayPool<byte>.Shared.Rent(n); count = Parse(buffer, n);")]
    // Checked to be exactly the size asked for.
    [InlineData("var buffer = ArrayPool<byte>.Shared.Rent(n); if (buffer.Length == n) stream.Write(buffer); else stream.Write(buffer.AsSpan(0, n));")]
    [InlineData("var buffer = ArrayPool<byte>.Shared.Rent(n); if (count > 0 && n == buffer.Length) count = Parse(buffer);")]
    [InlineData("var buffer = ArrayPool<byte>.Shared.Rent(n); if (buffer.Length != n) { stream.Write(buffer.AsSpan(0, n)); } else { stream.Write(buffer); }")]
    // Garnet's CLIENT LIST: the whole array where every element was filled, the filled part otherwise.
    [InlineData("var sessions = ArrayPool<string>.Shared.Rent(n); int filled = 0; foreach (var name in text.Split(',')) sessions[filled++] = name; IEnumerable<string> all = filled == sessions.Length ? sessions : sessions.Take(filled); foreach (var name in all) count += name.Length;")]
    // The whole array as a destination, or as capacity.
    [InlineData("var buffer = ArrayPool<byte>.Shared.Rent(n); count = stream.Read(buffer, 0, buffer.Length);")]
    [InlineData("var buffer = ArrayPool<byte>.Shared.Rent(n); count = encoding.GetBytes(text, 0, text.Length, buffer, 0);")]
    [InlineData("var buffer = ArrayPool<byte>.Shared.Rent(n); count = Encode(text, buffer);")]
    [InlineData("var buffer = ArrayPool<byte>.Shared.Rent(n); if (count > buffer.Length) throw new InvalidOperationException(); int free = buffer.Length - count;")]
    [InlineData("var buffer = ArrayPool<byte>.Shared.Rent(n); int free = Fill(buffer, n); stream.Write(buffer, 0, buffer.Length - free);")]
    [InlineData("var buffer = ArrayPool<byte>.Shared.Rent(n); for (int i = 0; i < buffer.Length; i++) buffer[i] ^= 0x5A;")]
    // Every element written first: nothing stale is read.
    [InlineData("var buffer = ArrayPool<byte>.Shared.Rent(n); buffer.AsSpan().Fill(0); stream.Write(buffer);")]
    [InlineData("var buffer = ArrayPool<byte>.Shared.Rent(n); Array.Clear(buffer); stream.Write(buffer);")]
    [InlineData("var buffer = ArrayPool<byte>.Shared.Rent(n); Array.Clear(buffer, 0, buffer.Length); stream.Write(buffer);")]
    [InlineData("var buffer = ArrayPool<byte>.Shared.Rent(n); RandomNumberGenerator.Fill(buffer); stream.Write(buffer);")]
    [InlineData("var buffer = ArrayPool<byte>.Shared.Rent(n); Fill(buffer); stream.Write(buffer);")]
    [InlineData("var buffer = ArrayPool<byte>.Shared.Rent(n); for (int i = 0; i < buffer.Length; i++) buffer[i] = (byte)i; stream.Write(buffer);")]
    [InlineData("var buffer = ArrayPool<byte>.Shared.Rent(n); stream.ReadExactly(buffer.AsSpan(0, n)); buffer.AsSpan(n).Clear(); stream.Write(buffer.AsSpan(0, n));")]
    // Reads of a bounded part: a decoder, a prefix, Take, First.
    [InlineData("var buffer = ArrayPool<byte>.Shared.Rent(n); count = BinaryPrimitives.ReadInt32LittleEndian(buffer);")]
    [InlineData("var buffer = ArrayPool<byte>.Shared.Rent(n); if (buffer.AsSpan().StartsWith(\"GET \"u8)) count = 1;")]
    [InlineData("var buffer = ArrayPool<byte>.Shared.Rent(n); var head = buffer.Take(n).ToArray(); count = buffer.First();")]
    [InlineData("var buffer = ArrayPool<byte>.Shared.Rent(n); count = buffer[0] + buffer[n - 1];")]
    // A power of two from 16 up: every pool of the framework serves it exactly (folios.pool_exact_powers_of_two).
    [InlineData("var buffer = ArrayPool<byte>.Shared.Rent(4096); stream.Write(buffer);")]
    [InlineData("var owner = MemoryPool<byte>.Shared.Rent(1 << 12); stream.Write(owner.Memory.Span);")]
    // MemoryPool's Rent() gives a size of its choosing: that size is the buffer.
    [InlineData("using var owner = MemoryPool<byte>.Shared.Rent(); stream.Write(owner.Memory.Span);")]
    // Out of reach by decision: another value in the variable, a wrapper of the user's, a field, a lambda.
    [InlineData("var buffer = ArrayPool<byte>.Shared.Rent(n); buffer = new byte[n]; stream.Write(buffer);")]
    [InlineData("var buffer = RentBuffer(n); stream.Write(buffer);")]
    [InlineData("_pending = ArrayPool<byte>.Shared.Rent(n); stream.Write(_pending);")]
    [InlineData("var buffer = ArrayPool<byte>.Shared.Rent(n); Action send = () => stream.Write(buffer); send();")]
    [InlineData("var buffer = ArrayPool<byte>.Shared.Rent(n); Keep(buffer); ArrayPool<byte>.Shared.Return(buffer);")]
    public Task Stays_silent_where_only_the_size_asked_for_is_read(string body) => Verify.Analyze(InMethod(body), withRuntime: false);

    [Theory]
    [InlineData("using var owner = MemoryPool<byte>.Shared.Rent(n); stream.Write({|FOLIO013:owner.Memory.Span|});")]
    [InlineData("using var owner = MemoryPool<byte>.Shared.Rent(n); var memory = owner.Memory; _ = stream.WriteAsync({|FOLIO013:memory|});")]
    [InlineData("using var owner = MemoryPool<byte>.Shared.Rent(n); for (int i = 0; i < {|FOLIO013:owner.Memory.Length|}; i++) count += owner.Memory.Span[i];")]
    [InlineData("using (var owner = MemoryPool<byte>.Shared.Rent(n)) { stream.ReadExactly({|FOLIO013:owner.Memory.Span|}); }")]
    public Task Reports_a_memory_pools_memory_taken_whole(string body) => Verify.Analyze(InMethod(body), withRuntime: false);

    [Theory]
    [InlineData("using var owner = MemoryPool<byte>.Shared.Rent(n); stream.Write(owner.Memory.Span.Slice(0, n));")]
    [InlineData("using var owner = MemoryPool<byte>.Shared.Rent(n); count = stream.Read(owner.Memory.Span); stream.Write(owner.Memory.Span[..count]);")]
    [InlineData("var owner = MemoryPool<byte>.Shared.Rent(n); Keep(owner); owner.Dispose();")]
    public Task Stays_silent_on_the_part_of_a_memory_pools_memory_asked_for(string body) => Verify.Analyze(InMethod(body), withRuntime: false);

    [Fact]
    public Task A_power_of_two_is_reported_when_the_project_says_its_pools_round_further() => Verify.Analyze(
        InMethod("var buffer = ArrayPool<byte>.Shared.Rent(4096); stream.Write({|FOLIO013:buffer|});"),
        "folios.pool_exact_powers_of_two = false", withRuntime: false);

    /// <summary>
    /// Nerdbank.Streams' BufferTextWriter (see the rule's doc): the encoder writes bytesWritten bytes into a rented
    /// array, and the whole array is copied into a span with room for the size asked for only.
    /// </summary>
    [Fact]
    public Task Reports_a_whole_rented_array_copied_into_room_for_the_size_asked_for() => Verify.Analyze(Usings + """
        class BufferTextWriter
        {
            private readonly Encoder _encoder = Encoding.UTF8.GetEncoder();
            private readonly char[] _chars = new char[512];
            private int _charCount;
            private Memory<byte> _memory;
            private int _position;

            public void Commit(Func<int, Memory<byte>> getMemory)
            {
                int maxBytes = Encoding.UTF8.GetMaxByteCount(_charCount);
                if (_memory.Length - _position < maxBytes)
                    _memory = getMemory(maxBytes);
                byte[] rented = ArrayPool<byte>.Shared.Rent(maxBytes);
                try
                {
                    int written = _encoder.GetBytes(_chars, 0, _charCount, rented, 0, flush: false);
                    {|FOLIO013:rented|}.CopyTo(_memory.Span.Slice(_position));
                    _position += written;
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(rented);
                }
            }
        }
        """, withRuntime: false);

    /// <summary>Why the copy above throws: a rented array is longer than the request whenever the request is not a bucket size.</summary>
    [Fact]
    public void A_rented_array_copied_whole_into_room_for_the_size_asked_for_throws()
    {
        byte[] rented = ArrayPool<byte>.Shared.Rent(3000);
        try
        {
            Assert.True(rented.Length > 3000);
            var room = new byte[3000];
            Assert.Throws<ArgumentException>(() => rented.CopyTo(room.AsSpan()));
            rented.AsSpan(0, 3000).CopyTo(room);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    [Fact]
    public async Task Explains_what_went_wrong_and_what_to_do()
    {
        var test = Verify.Create(InMethod("var buffer = ArrayPool<byte>.Shared.Rent(n); stream.Write(buffer, 0, {|#0:buffer.Length|});"), null, withRuntime: false);
        test.ExpectedDiagnostics.Add(new DiagnosticResult(Descriptors.RentedLengthUsed).WithLocation(0).WithArguments(
            "buffer.Length", "ArrayPool<byte>.Shared.Rent(n)", "Use 'n'."));
        await test.RunAsync();
    }

    [Fact]
    public async Task Says_to_take_what_was_written_when_a_call_reported_it()
    {
        var test = Verify.Create(InMethod("var buffer = ArrayPool<byte>.Shared.Rent(n); int written = Encode(text, buffer); stream.Write({|#0:buffer|});"), null, withRuntime: false);
        test.ExpectedDiagnostics.Add(new DiagnosticResult(Descriptors.RentedReadToEnd).WithLocation(0).WithArguments(
            "buffer", "ArrayPool<byte>.Shared.Rent(n)", "Take only as much as the call that wrote into it said it wrote."));
        await test.RunAsync();
    }

    [Fact]
    public Task Reports_the_same_code_with_Folios_referenced() =>
        Verify.Analyze(InMethod("var buffer = ArrayPool<byte>.Shared.Rent(n); stream.Write({|FOLIO013:buffer|});"));

    [Fact]
    public Task Survives_incomplete_code() => Verify.AnalyzeIncomplete(InMethod(
        "var buffer = ArrayPool<byte>.Shared.Rent(; stream.Write(buffer, 0, buffer.Length; for (int i = 0; i < buffer.Length; i++) count += buffer[; var o = MemoryPool<byte>.Shared.Rent(n).Memory."));

    internal const string Usings = "using System;\nusing System.Buffers;\nusing System.Buffers.Binary;\nusing System.Collections.Generic;\nusing System.IO;\nusing System.Linq;\nusing System.Security.Cryptography;\nusing System.Text;\n";

    internal static string InMethod(string body) => Usings + $$"""
        class Frames
        {
            const int FrameSize = 1000;
            readonly ArrayPool<byte> _pool = ArrayPool<byte>.Create();
            readonly int _limit = 100;
            int Size { get; set; } = 100;
            byte[]? _cached;
            byte[]? _pending;

            void Send(Stream stream, TextWriter writer, Encoding encoding, string text, byte[] destination, int n, int count)
            {
                {{body}}
            }

            static int Parse(ReadOnlySpan<byte> data) => data.Length;
            static int Parse(ReadOnlySpan<byte> data, int length) => data.Slice(0, length).Length;
            static void Fill(Span<byte> destination) => destination.Fill(1);
            static int Fill(byte[] destination, int length) { destination.AsSpan(0, length).Fill(1); return destination.Length - length; }
            static int Encode(string text, Span<byte> destination) => Encoding.UTF8.GetBytes(text, destination);
            static byte[] RentBuffer(int size) => ArrayPool<byte>.Shared.Rent(size);
            static void Keep(object value) { }
            static bool Compare(ReadOnlyMemory<byte> expected, ReadOnlyMemory<byte> actual) => expected.Span.SequenceEqual(actual.Span);
        }

        sealed class SlabPool : ArrayPool<byte>
        {
            public override byte[] Rent(int minimumLength) => new byte[(minimumLength + 4095) & ~4095];
            public override void Return(byte[] array, bool clearArray = false) { }
        }
        """;
}
