using System.Collections.Immutable;
using Folios.Analyzers;
using Folios.Analyzers.Engine;
using Folios.Analyzers.Pages;
using Folios.Analyzers.Values;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Folios.Analyzers.Rules;

/// <summary>
/// FOLIO002: indexing, slicing, BinaryPrimitives, MemoryMarshal or CopyTo over a span that comes from a
/// [RawPageAccess] member (<c>GetFolio(i).Span</c>), unless the access provably stays inside the folio.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class RawPageAccessAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.RawCrossPageAccess);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCode.SkippedByTheRules);
        context.EnableConcurrentExecution();
        RuleBlock.Register(context, static facts => facts.Folios is { RawPageAccessAttribute: not null, Folio: not null } types ? types : null,
            FoliosEntryPoints.Api, static (block, types) =>
        {
            foreach (var operation in block.Operations<IOperation>())
            {
                if (operation is IPropertyReferenceOperation or IInvocationOperation or ILocalReferenceOperation)
                    Analyze(block, operation, types);
            }
        });
    }

    private static void Analyze(RuleBlock context, IOperation source, FoliosTypes types)
    {
        var rawMember = source switch
        {
            IPropertyReferenceOperation { Property.Name: Names.Folio.Span } property => FolioMemory(property.Instance, property.Property.ContainingType, types),
            IInvocationOperation { TargetMethod.Name: Names.Folio.AsMemory } call => FolioMemory(call.Instance, call.TargetMethod.ContainingType, types),
            ILocalReferenceOperation local when PageMemory.IsView(local.Local.Type) && MayHoldPageMemory(local.Local)
                && ConstantValues.SingleAssignedValue(local) is { } value => PageMemory.RawMemberOf(value, types),
            _ => null,
        };
        if (rawMember is null || RawAccess.IsInsidePageHelper(source, context.ContainingSymbol, types))
            return;

        var pageSize = FoliosOptions.Read(context.Options, source.Syntax.SyntaxTree).PageSize;
        var access = RawAccess.Follow(source, types, pageSize);
        if (access is null || access.StaysInsideFolio)
            return;
        context.ReportDiagnostic(Diagnostic.Create(Descriptors.RawCrossPageAccess, access.Node.Syntax.GetLocation(),
            access.Node.Syntax.ToString(), rawMember.Name, access.Helper));
    }

    /// <summary>The [RawPageAccess] member behind a folio's <c>Span</c> or <c>AsMemory()</c>, or null.</summary>
    private static ISymbol? FolioMemory(IOperation? folio, ITypeSymbol? declaringType, FoliosTypes types) =>
        folio is not null && SymbolEqualityComparer.Default.Equals(declaringType, types.Folio) ? PageMemory.RawFolioSource(folio, types) : null;

    /// <summary>
    /// A syntactic look at the declaration before the walk that proves nothing else writes the local: a span or memory
    /// local is page memory only when it starts as a member's <c>Span</c> (<c>var s = x.Span;</c>), an
    /// <c>AsMemory()</c>, or another local (<c>ReadOnlySpan&lt;byte&gt; r = s;</c>, <c>ref var r = ref s;</c>), cast or not. Most span locals come
    /// from elsewhere, and the walk covers the whole body.
    /// </summary>
    private static bool MayHoldPageMemory(ILocalSymbol local)
    {
        foreach (var reference in local.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax() is VariableDeclaratorSyntax { Initializer.Value: var value }
                && UnwrapSyntax(value) is MemberAccessExpressionSyntax { Name.Identifier.ValueText: Names.Folio.Span }
                    or InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: Names.Folio.AsMemory } }
                    or IdentifierNameSyntax)
                return true;
        }
        return false;
    }

    private static ExpressionSyntax UnwrapSyntax(ExpressionSyntax expression) => expression switch
    {
        ParenthesizedExpressionSyntax parenthesized => UnwrapSyntax(parenthesized.Expression),
        CastExpressionSyntax cast => UnwrapSyntax(cast.Expression),
        RefExpressionSyntax alias => UnwrapSyntax(alias.Expression),
        PostfixUnaryExpressionSyntax suppressed when suppressed.IsKind(SyntaxKind.SuppressNullableWarningExpression) => UnwrapSyntax(suppressed.Operand),
        _ => expression,
    };
}
