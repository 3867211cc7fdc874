using Folios.CodeFixes.Rules;
using Verify = Folios.Analyzers.Tests.Verifier<Folios.Analyzers.Rules.RentedSizeAnalyzer, Folios.CodeFixes.Rules.RentedSizeFixer>;

namespace Folios.Analyzers.Tests.Rules;

public class RentedSizeFixerTests
{
    [Theory]
    [InlineData(
        "var buffer = ArrayPool<byte>.Shared.Rent(n); stream.Write({|FOLIO013:buffer|});",
        "var buffer = ArrayPool<byte>.Shared.Rent(n); stream.Write(buffer.AsSpan(0, n));")]
    [InlineData(
        "var buffer = ArrayPool<byte>.Shared.Rent(n); stream.Write({|FOLIO013:buffer.AsSpan()|});",
        "var buffer = ArrayPool<byte>.Shared.Rent(n); stream.Write(buffer.AsSpan(0, n));")]
    [InlineData(
        "var buffer = ArrayPool<byte>.Shared.Rent(n); _ = stream.WriteAsync({|FOLIO013:buffer.AsMemory()|});",
        "var buffer = ArrayPool<byte>.Shared.Rent(n); _ = stream.WriteAsync(buffer.AsMemory(0, n));")]
    [InlineData(
        "var buffer = ArrayPool<byte>.Shared.Rent(n); _ = stream.WriteAsync({|FOLIO013:buffer|});",
        "var buffer = ArrayPool<byte>.Shared.Rent(n); _ = stream.WriteAsync(buffer.AsMemory(0, n));")]
    [InlineData(
        "var buffer = ArrayPool<byte>.Shared.Rent(n); count = Parse({|FOLIO013:new ReadOnlySpan<byte>(buffer)|});",
        "var buffer = ArrayPool<byte>.Shared.Rent(n); count = Parse(new ReadOnlySpan<byte>(buffer, 0, n));")]
    [InlineData(
        "var buffer = ArrayPool<byte>.Shared.Rent(n); text = Convert.ToBase64String({|FOLIO013:buffer|});",
        "var buffer = ArrayPool<byte>.Shared.Rent(n); text = Convert.ToBase64String(buffer.AsSpan(0, n));")]
    [InlineData(
        "var buffer = ArrayPool<byte>.Shared.Rent(count * 2); stream.Write({|FOLIO013:buffer|});",
        "var buffer = ArrayPool<byte>.Shared.Rent(count * 2); stream.Write(buffer.AsSpan(0, count * 2));")]
    [InlineData(
        "var buffer = ArrayPool<byte>.Shared.Rent(FrameSize); stream.Write({|FOLIO013:buffer|});",
        "var buffer = ArrayPool<byte>.Shared.Rent(FrameSize); stream.Write(buffer.AsSpan(0, FrameSize));")]
    [InlineData(
        "var buffer = ArrayPool<byte>.Shared.Rent(_limit); stream.Write({|FOLIO013:buffer|});",
        "var buffer = ArrayPool<byte>.Shared.Rent(_limit); stream.Write(buffer.AsSpan(0, _limit));")]
    [InlineData(
        "var buffer = ArrayPool<byte>.Shared.Rent(text.Length); stream.Write({|FOLIO013:buffer|});",
        "var buffer = ArrayPool<byte>.Shared.Rent(text.Length); stream.Write(buffer.AsSpan(0, text.Length));")]
    public Task A_whole_read_takes_only_the_size_asked_for(string body, string expected) => Fix(body, expected);

    [Theory]
    [InlineData(
        "var buffer = ArrayPool<byte>.Shared.Rent(n); stream.Write(buffer, 0, {|FOLIO013:buffer.Length|});",
        "var buffer = ArrayPool<byte>.Shared.Rent(n); stream.Write(buffer, 0, n);")]
    [InlineData(
        "var buffer = ArrayPool<byte>.Shared.Rent(n); stream.Write(buffer, 4, {|FOLIO013:buffer.Length|} - 4);",
        "var buffer = ArrayPool<byte>.Shared.Rent(n); stream.Write(buffer, 4, n - 4);")]
    [InlineData(
        "var buffer = ArrayPool<byte>.Shared.Rent(count + 4); stream.Write(buffer, 4, {|FOLIO013:buffer.Length|} - 4);",
        "var buffer = ArrayPool<byte>.Shared.Rent(count + 4); stream.Write(buffer, 4, (count + 4) - 4);")]
    [InlineData(
        "var buffer = ArrayPool<byte>.Shared.Rent(n); int length = buffer.Length; stream.Write(buffer, 0, {|FOLIO013:length|});",
        "var buffer = ArrayPool<byte>.Shared.Rent(n); int length = buffer.Length; stream.Write(buffer, 0, n);")]
    [InlineData(
        "var buffer = ArrayPool<byte>.Shared.Rent(n); for (int i = 0; i < {|FOLIO013:buffer.Length|}; i++) count += buffer[i];",
        "var buffer = ArrayPool<byte>.Shared.Rent(n); for (int i = 0; i < n; i++) count += buffer[i];")]
    public Task A_length_becomes_the_size_asked_for(string body, string expected) => Fix(body, expected);

    [Theory]
    // No span overload: the (array, offset, count) one.
    [InlineData(
        "var buffer = ArrayPool<byte>.Shared.Rent(n); var hash = SHA256.Create().ComputeHash({|FOLIO013:buffer|});",
        "var buffer = ArrayPool<byte>.Shared.Rent(n); var hash = SHA256.Create().ComputeHash(buffer, 0, n);")]
    // A sequence of elements: an ArraySegment.
    [InlineData(
        "var numbers = ArrayPool<int>.Shared.Rent(n); text = string.Join(\",\", {|FOLIO013:numbers|});",
        "var numbers = ArrayPool<int>.Shared.Rent(n); text = string.Join(\",\", new ArraySegment<int>(numbers, 0, n));")]
    // A span local that holds a stack buffer or a rented array, each at least the size asked for.
    [InlineData(
        "byte[]? rented = null; Span<byte> span = n <= 256 ? stackalloc byte[256] : (rented = ArrayPool<byte>.Shared.Rent(n)); stream.Write({|FOLIO013:span|}); if (rented != null) ArrayPool<byte>.Shared.Return(rented);",
        "byte[]? rented = null; Span<byte> span = n <= 256 ? stackalloc byte[256] : (rented = ArrayPool<byte>.Shared.Rent(n)); stream.Write(span.Slice(0, n)); if (rented != null) ArrayPool<byte>.Shared.Return(rented);")]
    [InlineData(
        "byte[] data = n > 1024 ? ArrayPool<byte>.Shared.Rent(n) : new byte[n]; stream.Write({|FOLIO013:data|});",
        "byte[] data = n > 1024 ? ArrayPool<byte>.Shared.Rent(n) : new byte[n]; stream.Write(data.AsSpan(0, n));")]
    [InlineData(
        "using var owner = MemoryPool<byte>.Shared.Rent(n); stream.Write({|FOLIO013:owner.Memory.Span|});",
        "using var owner = MemoryPool<byte>.Shared.Rent(n); stream.Write(owner.Memory.Span.Slice(0, n));")]
    [InlineData(
        "var chars = ArrayPool<char>.Shared.Rent(n); text = new string(chars, 0, {|FOLIO013:chars.Length|});",
        "var chars = ArrayPool<char>.Shared.Rent(n); text = new string(chars, 0, n);")]
    [InlineData(
        "var buffer = ArrayPool<byte>.Shared.Rent(_limit); stream.Write({|FOLIO013:buffer|});",
        "var buffer = ArrayPool<byte>.Shared.Rent(_limit); stream.Write(buffer.AsSpan(0, _limit));")]
    public Task Each_shape_gets_the_rewrite_that_compiles_there(string body, string expected) => Fix(body, expected);

    [Theory]
    // The size changes between the rental and the use, or is a call, or the buffer was filled with a count of its own.
    [InlineData("var buffer = ArrayPool<byte>.Shared.Rent(n); n = 0; stream.Write({|FOLIO013:buffer|});")]
    [InlineData("var buffer = ArrayPool<byte>.Shared.Rent(n); for (int i = 0; i < {|FOLIO013:buffer.Length|}; i++) { count += buffer[i]; n--; }")]
    [InlineData("var buffer = ArrayPool<byte>.Shared.Rent(encoding.GetMaxByteCount(count)); stream.Write({|FOLIO013:buffer|});")]
    [InlineData("var buffer = ArrayPool<byte>.Shared.Rent(n); int written = Encode(text, buffer); stream.Write({|FOLIO013:buffer|});")]
    [InlineData("var buffer = ArrayPool<byte>.Shared.Rent(Size); stream.Write({|FOLIO013:buffer|});")]
    // The other value the variable may hold may be shorter than the size asked for.
    [InlineData("byte[] data = _cached ?? ArrayPool<byte>.Shared.Rent(n); stream.Write({|FOLIO013:data|});")]
    [InlineData("byte[] data = n > 1024 ? ArrayPool<byte>.Shared.Rent(n) : destination; stream.Write({|FOLIO013:data|});")]
    // A tail: where it starts is not known to lie inside the size asked for.
    [InlineData("var buffer = ArrayPool<byte>.Shared.Rent(n); stream.Write({|FOLIO013:buffer.AsSpan(4)|});")]
    // The size's name means something else where the use stands (a local hides the field).
    [InlineData("var buffer = ArrayPool<byte>.Shared.Rent(_limit); { int _limit = 1; stream.Write({|FOLIO013:buffer|}); count = _limit; }")]
    public Task Offers_nothing_it_cannot_write_with_the_same_meaning(string body) => Fix(body, body);

    [Fact]
    public Task A_loop_in_an_async_method_enumerates_a_segment()
    {
        string Async(string loop) => RentedSizeAnalyzerTests.Usings + "using System.Threading.Tasks;\n" + $$"""
            static class Sums
            {
                public static async Task<int> SumAsync(Stream stream, int n)
                {
                    var numbers = ArrayPool<byte>.Shared.Rent(n);
                    await stream.ReadExactlyAsync(numbers.AsMemory(0, n));
                    int sum = 0;
                    {{loop}}
                    return sum;
                }
            }
            """;
        var test = Verify.Create(Async("foreach (var b in {|FOLIO013:numbers|}) sum += b;"), null, withRuntime: false);
        test.FixedCode = Async("foreach (var b in new ArraySegment<byte>(numbers, 0, n)) sum += b;");
        test.CodeActionEquivalenceKey = RentedSizeFixer.SizeKey;
        return test.RunAsync();
    }

    [Fact]
    public Task Adds_the_System_using_the_rewrite_needs()
    {
        const string Before = """
            using System.Buffers;
            using System.IO;

            static class Frames
            {
                public static void Send(Stream stream, int n)
                {
                    var buffer = ArrayPool<byte>.Shared.Rent(n);
                    stream.Write({|FOLIO013:buffer|});
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }
            """;
        const string After = """
            using System;
            using System.Buffers;
            using System.IO;

            static class Frames
            {
                public static void Send(Stream stream, int n)
                {
                    var buffer = ArrayPool<byte>.Shared.Rent(n);
                    stream.Write(buffer.AsSpan(0, n));
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }
            """;
        var test = Verify.Create(Before, null, withRuntime: false);
        test.FixedCode = After;
        test.CodeActionEquivalenceKey = RentedSizeFixer.SizeKey;
        return test.RunAsync();
    }

    [Fact]
    public Task Fix_all_reaches_every_document_of_the_solution()
    {
        var test = Verify.Create(RentedSizeAnalyzerTests.InMethod(
            "var buffer = ArrayPool<byte>.Shared.Rent(n); stream.Write(buffer, 0, {|FOLIO013:buffer.Length|}); text = encoding.GetString({|FOLIO013:buffer|});"), null, withRuntime: false);
        test.TestState.Sources.Add(("Other.cs", RentedSizeAnalyzerTests.Usings + "static class D { public static string M(int n) { var c = ArrayPool<char>.Shared.Rent(n); return new string({|FOLIO013:c|}); } }"));
        test.FixedState.Sources.Add(RentedSizeAnalyzerTests.InMethod(
            "var buffer = ArrayPool<byte>.Shared.Rent(n); stream.Write(buffer, 0, n); text = encoding.GetString(buffer.AsSpan(0, n));"));
        test.FixedState.Sources.Add(("Other.cs", RentedSizeAnalyzerTests.Usings + "static class D { public static string M(int n) { var c = ArrayPool<char>.Shared.Rent(n); return new string(c.AsSpan(0, n)); } }"));
        test.CodeActionEquivalenceKey = RentedSizeFixer.SizeKey;
        return test.RunAsync();
    }

    private static Task Fix(string body, string expected)
    {
        var test = Verify.Create(RentedSizeAnalyzerTests.InMethod(body), null, withRuntime: false);
        test.FixedCode = RentedSizeAnalyzerTests.InMethod(expected);
        test.CodeActionEquivalenceKey = RentedSizeFixer.SizeKey;
        return test.RunAsync();
    }
}
