import type { Models, CampaignModel } from './models.js';

export interface Campaign {
  id: number;
  name: string;
  totalStock: number;
  currentStock: number;
  successCount: number;
  soldOutCount: number;
  duplicateCount: number;
  startsAt: Date | null;
  endsAt: Date | null;
  createdAt: Date;
}

export interface NewCampaign {
  name: string;
  totalStock: number;
  startsAt: Date | null;
  endsAt: Date | null;
}

function toCampaign(row: CampaignModel): Campaign {
  return {
    id: Number(row.id),
    name: row.name,
    totalStock: row.totalStock,
    currentStock: row.currentStock,
    successCount: Number(row.successCount),
    soldOutCount: Number(row.soldOutCount),
    duplicateCount: Number(row.duplicateCount),
    startsAt: row.startsAt,
    endsAt: row.endsAt,
    createdAt: row.createdAt,
  };
}

export class CampaignStore {
  constructor(private readonly models: Models) {}

  async create(input: NewCampaign, createdAt: Date): Promise<Campaign> {
    const row = await this.models.Campaign.create({
      name: input.name,
      totalStock: input.totalStock,
      currentStock: input.totalStock,
      startsAt: input.startsAt,
      endsAt: input.endsAt,
      createdAt,
    });
    return toCampaign(row);
  }

  async list(limit: number, offset: number): Promise<Campaign[]> {
    const rows = await this.models.Campaign.findAll({ order: [['id', 'DESC']], limit, offset });
    return rows.map(toCampaign);
  }

  async count(): Promise<number> {
    return this.models.Campaign.count();
  }

  async findById(id: number): Promise<Campaign | null> {
    const row = await this.models.Campaign.findByPk(id);
    return row ? toCampaign(row) : null;
  }
}
