using Folios.Analyzers.Engine;

namespace Folios.Analyzers.Pipelines;

/// <summary>The Pipelines rules' vocabularies, and their kinds of resource for one compilation.</summary>
internal static class PipelineKinds
{
    /// <summary>Where code reads from a pipe (<c>.ReadAsync(</c>, <c>.ReadAtLeastAsync(</c>, <c>.TryRead(</c>): the places of FOLIO014 and FOLIO015.</summary>
    public static readonly Vocabulary Reads = Vocabulary.OfWords("pipe reads",
        static _ => [Names.PipeReader.ReadAsync, Names.PipeReader.ReadAtLeastAsync, Names.PipeReader.TryRead],
        static (text, start, end) => TextScan.Before(text, start) == '.' && TextScan.After(text, end) == '(');

    /// <summary>Where code gets memory from a buffer writer (<c>.GetSpan(</c>, <c>.GetMemory(</c>): the places of FOLIO016.</summary>
    public static readonly Vocabulary WriterSpans = Vocabulary.OfWords("writer spans",
        static _ => [Names.BufferWriter.GetSpan, Names.BufferWriter.GetMemory],
        static (text, start, end) => TextScan.Before(text, start) == '.' && TextScan.After(text, end) == '(');

    /// <summary>The writer spans of a compilation that has IBufferWriter&lt;T&gt; (every .NET since Core 2.1), else null.</summary>
    public static WriterSpanKind? WritersOf(CompilationFacts facts) => facts.Framework.BufferWriter is null ? null : new WriterSpanKind(facts.Framework);

    /// <summary>The reads of a compilation that has System.IO.Pipelines, else null.</summary>
    public static ReadResultKind? Of(CompilationFacts facts) => facts.Framework.PipeReader is null ? null : new ReadResultKind(facts.Framework);
}
