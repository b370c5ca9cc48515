/** The Invoices API's OpenAPI 3 definition, as its team publishes it. */
export const INVOICES_OPENAPI = {
  openapi: '3.0.1',
  info: {
    title: 'Invoices',
    version: '2026-11',
    description: 'Invoices issued to partners. Served behind API Management; callers present a client certificate.',
  },
  servers: [
    {
      url: 'https://invoices.internal.contoso.example/v1',
    },
  ],
  paths: {
    '/invoices': {
      get: {
        operationId: 'list-invoices',
        summary: 'List invoices',
        parameters: [
          {
            name: 'status',
            in: 'query',
            schema: {
              type: 'string',
              enum: ['open', 'paid'],
            },
          },
        ],
        responses: {
          '200': {
            description: 'The invoices',
          },
        },
      },
      post: {
        operationId: 'create-invoice',
        summary: 'Create an invoice',
        requestBody: {
          content: {
            'application/json': {
              schema: {
                '$ref': '#/components/schemas/Invoice',
              },
            },
          },
        },
        responses: {
          '201': {
            description: 'Created',
          },
        },
      },
    },
    '/invoices/{id}': {
      get: {
        operationId: 'get-invoice',
        summary: 'Get one invoice',
        parameters: [
          {
            name: 'id',
            in: 'path',
            required: true,
            schema: {
              type: 'string',
            },
          },
        ],
        responses: {
          '200': {
            description: 'The invoice',
          },
          '404': {
            description: 'Not found',
          },
        },
      },
    },
  },
  components: {
    schemas: {
      Invoice: {
        type: 'object',
        required: ['partner', 'amount'],
        properties: {
          partner: {
            type: 'string',
          },
          amount: {
            type: 'number',
          },
          currency: {
            type: 'string',
            default: 'EUR',
          },
        },
      },
    },
  },
};
