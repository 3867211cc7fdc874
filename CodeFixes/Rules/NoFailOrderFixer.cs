using System.Collections.Immutable;
using Folios.Analyzers;
using Folios.CodeFixes.Rewrites;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace Folios.CodeFixes.Rules;

/// <summary>
/// FOLIO001 fixes, most reliable first: a SingleFolio buffer becomes order-0 pages (Pages or FolioOrPages); a folio
/// used only as memory becomes AllocateContiguous; the call becomes TryAllocate with a failure branch; or NoFail is
/// dropped, which keeps behaviour (the allocator ignores NoFail above order 1) and makes the failure visible.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(NoFailOrderFixer))]
public sealed class NoFailOrderFixer : CodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.NoFailAboveOrderOne);

    // One fix at a time, each on the result of the last: fixes add locals and must see the names earlier ones took.
    public override FixAllProvider GetFixAllProvider() => FixAllProvider.Create(FixAllInDocumentAsync);

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root?.FindNode(context.Span, getInnermostNodeForTie: true) is not InvocationExpressionSyntax invocation)
            return;
        foreach (var (title, key, document) in await FixesAsync(context.Document, invocation, context.CancellationToken).ConfigureAwait(false))
            context.RegisterCodeFix(CodeAction.Create(title, _ => Task.FromResult(document), key), context.Diagnostics[0]);
    }

    private static async Task<Document?> FixAllInDocumentAsync(FixAllContext context, Document document, ImmutableArray<Diagnostic> diagnostics)
    {
        var root = await document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null)
            return null;
        var targets = diagnostics.Select(d => root.FindNode(d.Location.SourceSpan, getInnermostNodeForTie: true)).OfType<InvocationExpressionSyntax>().ToList();
        document = document.WithSyntaxRoot(root.TrackNodes(targets));
        foreach (var target in targets)
        {
            var current = (await document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false))!.GetCurrentNode(target);
            if (current is null)
                continue;
            var fixes = await FixesAsync(document, current, context.CancellationToken).ConfigureAwait(false);
            foreach (var fix in fixes.Where(f => f.Key == context.CodeActionEquivalenceKey).Take(1))
                document = fix.Document;
        }
        return document;
    }

    private static async Task<List<(string Title, string Key, Document Document)>> FixesAsync(Document document, InvocationExpressionSyntax invocation, CancellationToken cancellation)
    {
        var fixes = new List<(string, string, Document)>();
        var root = await document.GetSyntaxRootAsync(cancellation).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellation).ConfigureAwait(false);
        if (root is null || model?.GetOperation(invocation, cancellation) is not IInvocationOperation operation)
            return fixes;
        void Add(string title, string key, SyntaxNode? fixedRoot)
        {
            if (fixedRoot is not null)
                fixes.Add((title, RuleIdentifiers.NoFailAboveOrderOne + "." + key, document.WithSyntaxRoot(fixedRoot)));
        }

        if (FindArgument(operation, Names.AllocationPolicy.TypeName) is { Syntax: ArgumentSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.Text: Names.AllocationPolicy.SingleFolio } policy } })
        {
            foreach (var replacement in new[] { Names.AllocationPolicy.Pages, Names.AllocationPolicy.FolioOrPages })
                Add($"Use AllocationPolicy.{replacement} (order-0 pages never fail)", replacement, root.ReplaceNode(policy.Name, SyntaxFactory.IdentifierName(replacement).WithTriviaFrom(policy.Name)));
            return fixes;
        }

        var flagsArgument = FindArgument(operation, Names.AllocFlags.TypeName)?.Syntax as ArgumentSyntax;
        var withoutNoFail = flagsArgument is null ? null : FlagsRewrite.Without(flagsArgument.Expression, [Names.AllocFlags.NoFail]);
        if (operation.TargetMethod is { Name: Names.PageAllocator.Allocate, ContainingType: { Name: Names.PageAllocator.TypeName, ContainingNamespace.Name: Names.Runtime.Namespace } })
        {
            Add("Use AllocateContiguous (falls back to mapped order-0 pages)", "Contiguous", AllocateContiguousRewrite.TryApply(root, model, invocation, cancellation));
            if (withoutNoFail is not null)
                Add("Use TryAllocate without NoFail and handle the failure", Names.PageAllocator.TryAllocate, TryAllocateRewrite.TryApply(root, model, invocation, withoutNoFail, cancellation));
        }
        if (withoutNoFail is not null)
            Add("Drop NoFail: the request may fail and must be handled", "DropNoFail", root.ReplaceNode(flagsArgument!.Expression, withoutNoFail.WithTriviaFrom(flagsArgument.Expression)));
        return fixes;
    }

    private static IArgumentOperation? FindArgument(IInvocationOperation operation, string typeName)
    {
        foreach (var argument in operation.Arguments)
        {
            if (argument.Parameter?.Type is { Name: var name, ContainingNamespace.Name: Names.Runtime.Namespace } && name == typeName && argument.ArgumentKind == ArgumentKind.Explicit)
                return argument;
        }
        return null;
    }
}
