import type { QueryInterface } from 'sequelize';

export async function up(qi: QueryInterface): Promise<void> {
  // The uid of the Campaign object a row belongs to. Unique, so that a controller that created the
  // row and crashed before writing the object's status finds the row again instead of a second one.
  await qi.sequelize.query(`
    ALTER TABLE campaigns
      ADD COLUMN resource_uid VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NULL,
      ADD UNIQUE KEY uq_campaign_resource_uid (resource_uid)`);
}

export async function down(qi: QueryInterface): Promise<void> {
  await qi.sequelize.query('ALTER TABLE campaigns DROP KEY uq_campaign_resource_uid, DROP COLUMN resource_uid');
}
